export { idSchema, lineItemsSchema, pageOf, paginationQuery, text, unlessMissing } from './common.js';
export { errorResponse } from './errors.js';
export { MONITORED_SERVICES, monitoringOverview, type MonitoringOverview, type Series } from './monitoring.js';
export { createOrderBody, idempotencyKeyHeader, listOrdersQuery, order, type CreateOrderInput, type ReservedLine } from './orders.js';
export { createProductBody, product, updateProductBody, type CreateProductInput, type UpdateProductInput } from './products.js';
export { statusResponse } from './status.js';
export {
  accessTokenResponse,
  createUserBody,
  jwksResponse,
  loginBody,
  role,
  updateMeBody,
  user,
  type CreateUserInput,
  type LoginInput,
  type UpdateMeInput,
} from './users.js';
export { openApiDocument } from './openapi.js';
