// Links shown in the page header. The API reference is Swagger UI, served by the gateway
// from the OpenAPI document it generates (GET /api/openapi.json); empty would hide the link.
export const API_REFERENCE_URL = '/api/docs/';
