import axios, { type AxiosResponse } from 'axios';
import { NoAnswer, type Transport } from './transport.js';

function flattenHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && value !== null) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return flat;
}

/** Calls through axios, the client the course teaches: what the services use to call each other. */
export function axiosTransport(baseUrl: string): Transport {
  const http = axios.create({
    baseURL: baseUrl,
    // Every status is an answer here; the client decides what counts as a failure.
    validateStatus: () => true,
    transitional: { clarifyTimeoutError: true },
    maxRedirects: 0,
    // The bytes as sent: the caller parses them if it needs to, or passes them on.
    responseType: 'arraybuffer',
  });
  return {
    async send({ method, path, headers, body, timeoutMs }) {
      try {
        const response = await http.request<ArrayBuffer>({ method, url: path, headers, data: body, timeout: timeoutMs });
        return { status: response.status, headers: flattenHeaders(response.headers), body: Buffer.from(response.data) };
      } catch (error) {
        if (!axios.isAxiosError(error) || error.response) throw error;
        const timedOut = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT';
        throw new NoAnswer(timedOut ? 'timeout' : 'unreachable', error.message, { cause: error });
      }
    },
    close: async () => undefined,
  };
}
