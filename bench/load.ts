/**
 * The load generator, in a process of its own (issue 8: "a load generator in a separate process on
 * loopback"). bench/run.ts forks it once and sends one message per load: which scenario (or the
 * mixed workload), the sessions, the dataset, the rate and duration. It builds the requests from
 * bench/scenarios.ts — the same inputs give the same requests as in the runner — sends them with
 * autocannon, and answers with the latency percentiles of every response it timed.
 */
import autocannon from 'autocannon';
import { loadRequests, type Auth, type Dataset, type Persona } from './scenarios.js';

export interface LoadJob {
  base: string;
  scenario: string;
  auths: Partial<Record<Persona, Auth>>;
  data: Dataset;
  duration: number;
  /** Requests per second from all connections; absent = as fast as the server answers. */
  rate?: number;
  connections: number;
}

export interface LoadStats {
  requestsPerSecond: number;
  total: number;
  non2xx: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runLoad(job: LoadJob): Promise<LoadStats> {
  const requests = loadRequests(job.scenario, job.auths, job.data);
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.base,
        connections: job.connections,
        duration: job.duration,
        ...(job.rate ? { overallRate: job.rate } : {}),
        requests: requests.map((r) => ({ method: r.method, path: r.path, headers: r.headers, ...(r.body ? { body: r.body } : {}), ...(r.setupRequest ? { setupRequest: r.setupRequest } : {}) })),
      },
      (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50: round1(percentile(times, 50)),
    p95: round1(percentile(times, 95)),
    p99: round1(percentile(times, 99)),
    max: round1(times.at(-1) ?? NaN),
  };
}

// Forked by the runner: one job per message, one answer each, until the runner disconnects.
if (process.send) {
  process.on('message', (job: LoadJob) => {
    runLoad(job).then(
      (stats) => process.send!({ ok: true, stats }),
      (err: unknown) => process.send!({ ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
