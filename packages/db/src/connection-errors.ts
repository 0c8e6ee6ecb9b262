// Node socket errors and Postgres connection-class SQLSTATEs (08xxx, 57P0x): the database
// is unreachable, which a caller may retry or answer with a 503, not a bug.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE',
  '57P01', '57P02', '57P03',
]);

/** Whether an error says the connection to the database failed, rather than the query. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) return true;
  // pg reports a dropped or timed-out connection by message only.
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|The client is closed|connection is closed/i.test(
    error.message,
  );
}
