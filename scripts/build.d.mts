// Types for build.mjs, so TypeScript code (the browser tests' global setup) can import it.
export function webIsStale(): boolean;
export function buildWeb(options?: { force?: boolean; quiet?: boolean }): Promise<boolean>;
