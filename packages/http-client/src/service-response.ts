import type { TransportResponse } from './transport.js';

/**
 * A service's answer: the bytes as they came (to pass on untouched) and, read on demand,
 * the body as JSON (undefined when it is empty or not JSON).
 */
export interface ServiceResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  readonly data: T;
}

export function serviceResponse<T>({ status, headers, body }: TransportResponse): ServiceResponse<T> {
  let parsed: { value: T } | undefined;
  return {
    status,
    headers,
    body,
    get data(): T {
      if (!parsed) {
        let value: unknown;
        if (body.length > 0 && /[/+]json\b/.test(headers['content-type'] ?? '')) {
          try {
            value = JSON.parse(body.toString('utf8'));
          } catch {
            value = undefined;
          }
        }
        parsed = { value: value as T };
      }
      return parsed.value;
    },
  };
}
