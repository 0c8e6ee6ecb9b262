export { AppError, type AppErrorOptions, type FieldProblem } from './app-error.js';
export { toAppError } from './to-app-error.js';
export { errorBody } from './error-body.js';
