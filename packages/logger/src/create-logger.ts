import { fileURLToPath } from 'node:url';
import { pino, stdTimeFunctions, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export interface LoggerSettings {
  /** The service name, on every line so that merged logs stay readable. */
  service: string;
  level: string;
}

/**
 * JSON lines on stdout (what `docker compose logs` and any log shipper expect). Pretty
 * output only for a human at a terminal, and only where pino-pretty is installed: it is a
 * development dependency, absent from the production images.
 */
export function createLogger(settings: LoggerSettings, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: settings.service },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: ['req.headers.authorization', 'req.headers.cookie', '*.password'],
  };
  if (destination) return pino(options, destination);
  const pretty = process.stdout.isTTY ? prettyTransportPath() : undefined;
  if (pretty) return pino({ ...options, transport: { target: pretty } });
  // Written without blocking: lines logged while a write is under way go out together in the
  // next one, so a busy service makes far fewer system calls. pino flushes what is left
  // when the process exits.
  return pino(options, pino.destination({ dest: 1, sync: false }));
}

function prettyTransportPath(): string | undefined {
  try {
    return fileURLToPath(import.meta.resolve('pino-pretty'));
  } catch {
    return undefined;
  }
}
