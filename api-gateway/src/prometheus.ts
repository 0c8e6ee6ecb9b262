import { AppError } from '@shopstack/errors';

export interface TimeRange {
  /** Unix seconds. */
  start: number;
  end: number;
  stepSeconds: number;
}

/** One series of a range query: its labels, and its `[unix seconds, value]` pairs with the values as Prometheus writes them ("NaN" included). */
export interface RangeSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

export interface PrometheusReader {
  /** GET /api/v1/query_range: one query, evaluated at every step of the range. */
  queryRange(query: string, range: TimeRange): Promise<RangeSeries[]>;
}

// The console asks again a few seconds later, and nothing is lost by not answering: so one
// attempt, no retry and no breaker (a breaker here would sit among the services' ones).
const RETRY_AFTER_SECONDS = 5;

interface QueryRangeAnswer {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: RangeSeries[] };
}

/** Prometheus's HTTP API at `baseUrl`, each call bounded by `timeoutMs`, body included. */
export function prometheusReader(baseUrl: string, timeoutMs: number): PrometheusReader {
  // Relative to the base, so that a Prometheus served under a path prefix works too.
  const endpoint = new URL('api/v1/query_range', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  // A 5xx's message reaches the logs only; the client gets the code, which the console explains.
  const unavailable = (cause: unknown) =>
    AppError.unavailable('monitoring_unavailable', `Prometheus at ${baseUrl} did not answer: not running, or monitoring is off`, RETRY_AFTER_SECONDS, cause);

  return {
    async queryRange(query, { start, end, stepSeconds }) {
      const url = new URL(endpoint);
      url.search = new URLSearchParams({ query, start: String(start), end: String(end), step: String(stepSeconds) }).toString();
      let status: number;
      let answer: QueryRangeAnswer;
      try {
        const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
        status = response.status;
        answer = (await response.json()) as QueryRangeAnswer;
      } catch (error) {
        throw unavailable(error);
      }
      // Prometheus answers 503 while it starts (replaying its write-ahead log).
      if (status >= 500) throw unavailable(new Error(`Prometheus answered ${status}: ${answer.error}`));
      const result = answer.data?.result;
      if (status !== 200 || answer.status !== 'success' || answer.data?.resultType !== 'matrix' || !Array.isArray(result)) {
        // A query of ours refused (400, 422): a bug here, not an outage.
        throw new AppError(502, 'bad_gateway', `Prometheus answered ${status} to ${query}: ${answer.error}`);
      }
      return result;
    },
  };
}
