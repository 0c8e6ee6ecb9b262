/** An HTTP answer as the HTTP library gave it: header values as strings or lists of them. */
export interface RawResponse {
  status: number;
  headers: Record<string, unknown>;
  body: Buffer;
}

/**
 * A service's answer: the bytes as they came (to pass on untouched) and, read on demand,
 * the body as JSON (undefined when it is empty or not JSON).
 */
export interface ServiceResponse<T = unknown> {
  status: number;
  /** Lower-case names, repeated values joined by ", " (Set-Cookie apart). */
  headers: Record<string, string>;
  /** Each Set-Cookie line as it came: joined, they could not be told apart (an Expires date holds a comma). */
  setCookie: string[];
  body: Buffer;
  readonly data: T;
}

export function serviceResponse<T>({ status, headers: raw, body }: RawResponse): ServiceResponse<T> {
  const headers: Record<string, string> = {};
  const setCookie: string[] = [];
  // Once per answer, on the gateway's hot path: no array made for a single value.
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    const key = name.toLowerCase();
    if (key === 'set-cookie') setCookie.push(...(Array.isArray(value) ? value.map(String) : [String(value)]));
    else headers[key] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  let parsed: { value: T } | undefined;
  return {
    status,
    headers,
    setCookie,
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
