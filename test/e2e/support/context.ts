/** What the global setup hands to the specs: one fresh Lodestar server per spec file that needs a first run. */
export interface E2eServer {
  /** http://127.0.0.1:<port>, the same origin the server puts in its links. */
  url: string;
  /** The one-time first-run link the server printed (`/setup#token=…`). */
  setupLink: string;
}

/** The spec files that get a server of their own (each starts from a first run). */
export const E2E_SPECS = ['journeys', 'accessibility', 'participants', 'directory', 'appointments', 'moud', 'referrals', 'questionnaires', 'recovery', 'coping', 'links', 'reports', 'federal', 'outcomes', 'imports'] as const;

export type E2eServers = Record<(typeof E2E_SPECS)[number], E2eServer>;

declare module 'vitest' {
  export interface ProvidedContext {
    lodestar: E2eServers;
  }
}
