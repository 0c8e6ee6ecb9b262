// The service as a library: its app factory, start-up step and migrations, for tests that run it for real.
export { createApp, prepareAccounts, rotateSigningKey, type AppDeps } from './app.js';
export const migrations = new URL('../migrations', import.meta.url);
