import type { Logger } from '@shopstack/logger';

/** What a downstream call carries from the incoming request: its id and its logger. */
export interface CallContext {
  requestId: string | undefined;
  log: Logger;
}
