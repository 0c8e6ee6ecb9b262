export { createLogger, type Logger, type LoggerSettings } from './create-logger.js';
export { requestLogger, type RequestIdGenerator } from './request-logger.js';
