import autocannon from 'autocannon';

export interface LoadResult {
  name: string;
  requests: number;
  /** Requests per second, averaged over the run. */
  throughput: number;
  /** Mean latency, to the microsecond; the percentiles are whole milliseconds. */
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface LoadOptions {
  url: string;
  connections?: number;
  /** Seconds; or a fixed number of requests with `amount`. */
  duration?: number;
  amount?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** A path per request (for example a different product each time). */
  nextPath?: () => string;
  /** A body per request. */
  nextBody?: () => string;
}

/** One bounded autocannon run against a loopback URL. */
export async function load(name: string, options: LoadOptions): Promise<LoadResult> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(options.url)) throw new Error(`refusing to load a non-loopback URL: ${options.url}`);
  const result = await autocannon({
    url: options.url,
    connections: options.connections ?? 10,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 10 }),
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    ...(options.nextPath || options.nextBody
      ? {
          requests: [
            {
              setupRequest: (request) => ({
                ...request,
                ...(options.nextPath ? { path: options.nextPath() } : {}),
                ...(options.nextBody ? { body: options.nextBody() } : {}),
              }),
            },
          ],
        }
      : {}),
  });
  return {
    name,
    requests: result.requests.total,
    throughput: Math.round(result.requests.average),
    meanMs: Math.round(result.latency.average * 1000) / 1000,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

const resolvedP50 = (a: LoadResult, b: LoadResult) => a.p50Ms >= 1 && b.p50Ms >= 1;

/**
 * The latency two runs are compared by: their p50, unless either is under autocannon's
 * resolution of 1 ms (it reads 0 then); the mean, which is exact, in that case.
 */
export function typicalMs(result: LoadResult, comparedWith: LoadResult): number {
  return resolvedP50(result, comparedWith) ? result.p50Ms : result.meanMs;
}

export function typicalLabel(a: LoadResult, b: LoadResult): string {
  return resolvedP50(a, b) ? 'p50' : 'mean latency (a p50 is under the 1 ms resolution)';
}
