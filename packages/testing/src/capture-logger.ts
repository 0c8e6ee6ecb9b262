import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@shopstack/logger';

export interface CapturedLogs {
  logger: Logger;
  /** Every line written so far, parsed. */
  lines(): Array<Record<string, unknown>>;
}

/** A real pino logger of the service's kind that writes into memory instead of stdout. */
export function captureLogger(service: string, level = 'debug'): CapturedLogs {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ service, level }, sink), lines: () => [...lines] };
}
