export { AppError, type AppErrorOptions, type Problem } from './app-error.js';
export { toAppError } from './to-app-error.js';
export { errorBody } from './error-body.js';
