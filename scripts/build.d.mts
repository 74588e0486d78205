export function webIsStale(): boolean;
export function buildWeb(opts?: { force?: boolean; quiet?: boolean }): Promise<boolean>;
