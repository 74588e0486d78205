/** What the global setup hands to the specs: one fresh Lodestar server per spec file that needs a first run. */
export interface E2eServer {
  /** http://127.0.0.1:<port>, the same origin the server puts in its links. */
  url: string;
  /** The one-time first-run link the server printed (`/setup#token=…`). */
  setupLink: string;
}

export interface E2eServers {
  journeys: E2eServer;
  accessibility: E2eServer;
  participants: E2eServer;
}

declare module 'vitest' {
  export interface ProvidedContext {
    lodestar: E2eServers;
  }
}
