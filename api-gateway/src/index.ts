// The gateway as a library: its app factory, for tests that run it for real.
export { createApp, type AppDeps } from './app.js';
