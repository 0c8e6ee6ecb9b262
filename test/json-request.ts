// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON off the wire; the tests assert its shape
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export type JsonRequestInit = RequestInit & { json?: unknown };

/**
 * A request as a client of the stack sends it (`json` becomes the body and its
 * content-type); the answer's body parsed when it is JSON, kept as text otherwise.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as ApiResponse
export async function jsonRequest<T = any>(url: string, init: JsonRequestInit = {}): Promise<ApiResponse<T>> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('content-type', 'application/json');
  const res = await fetch(url, {
    ...rest,
    headers,
    body: json !== undefined ? JSON.stringify(json) : rest.body,
    signal: rest.signal ?? AbortSignal.timeout(45_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: tests that care assert on it
  }
  return { status: res.status, headers: res.headers, body: body as T, text };
}
