export { AppError, type AppErrorOptions, type FieldProblem } from './app-error.js';
export { toAppError } from './to-app-error.js';
export { errorBody, errorHandler, notFoundHandler } from './error-middleware.js';
