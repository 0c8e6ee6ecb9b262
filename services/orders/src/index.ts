// The service as a library: its app factory and migrations, for tests that run it for real.
export { createApp, type AppDeps } from './app.js';
export const migrations = new URL('../migrations', import.meta.url);
