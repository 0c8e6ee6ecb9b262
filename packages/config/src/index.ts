export { ConfigError, parseConfig } from './parse-config.js';
export { env } from './env-schemas.js';
