import { paginationQuery } from './common.js';
import {
  ANYONE,
  body,
  cacheHeader,
  created,
  header,
  idParameter,
  listOf,
  notModified,
  refreshCookie,
  responses,
  setRefreshCookie,
  SIGNED_IN,
  WITH_BODY,
} from './openapi-builders.js';
import { accessTokenResponse, createUserBody, jwksResponse, loginBody, updateMeBody, user } from './users.js';

/** The paths of the users service: accounts (/api/users) and signing in (/api/auth). */
export function accountPaths() {
  return {
    '/api/users': {
      post: {
        operationId: 'createUser',
        tags: ['users'],
        summary: 'Sign up: a new customer',
        security: ANYONE,
        requestBody: body(createUserBody),
        responses: responses({ 201: created('The user', user) }, [...WITH_BODY, 401, 409]),
      },
      ...listOf('users (admin)', user, paginationQuery, 'listUsers', 'users', { security: SIGNED_IN, errors: [401, 403] }),
      },
    '/api/users/me': {
      get: {
        operationId: 'getMe',
        tags: ['users'],
        summary: 'Read yourself, with your role',
        security: SIGNED_IN,
        responses: responses({ 200: { description: 'The caller.', schema: user }, 304: notModified }, [401]),
      },
      patch: {
        operationId: 'updateMe',
        tags: ['users'],
        summary: 'Change your name or password (a new password signs out your other sessions)',
        security: SIGNED_IN,
        requestBody: body(updateMeBody),
        responses: responses({ 200: { description: 'The caller as changed.', schema: user } }, [...WITH_BODY, 401, 403]),
      },
      },
    '/api/users/{id}': {
      get: {
        operationId: 'getUser',
        tags: ['users'],
        summary: 'Read a user (yourself, or anyone for an admin)',
        security: SIGNED_IN,
        parameters: [idParameter],
        responses: responses({ 200: { description: 'The user.', schema: user, headers: { 'X-Cache': cacheHeader } }, 304: notModified }, [400, 401, 404]),
      },
      },
    '/api/auth/login': {
      post: {
        operationId: 'logIn',
        tags: ['auth'],
        summary: 'Log in: an access token, and a refresh token in a cookie',
        security: ANYONE,
        requestBody: body(loginBody),
        responses: responses(
          { 200: { description: 'Signed in.', schema: accessTokenResponse, headers: { 'Set-Cookie': setRefreshCookie } } },
          [...WITH_BODY, 401, 403],
        ),
      },
      },
    '/api/auth/refresh': {
      post: {
        operationId: 'refreshToken',
        tags: ['auth'],
        summary: 'A new access token for the refresh cookie, which is replaced (a used one revokes its login)',
        security: ANYONE,
        parameters: [refreshCookie],
        responses: responses(
          { 200: { description: 'A new access token.', schema: accessTokenResponse, headers: { 'Set-Cookie': setRefreshCookie } } },
          [401, 403],
        ),
      },
      },
    '/api/auth/logout': {
      post: {
        operationId: 'logOut',
        tags: ['auth'],
        summary: 'Log out: revokes the login of the refresh cookie and clears it',
        security: ANYONE,
        parameters: [refreshCookie],
        responses: responses({ 204: { description: 'Logged out.', headers: { 'Set-Cookie': header('Clears `refresh_token`.') } } }, [403]),
      },
      },
    '/api/auth/jwks.json': {
      get: {
        operationId: 'getSigningKeys',
        tags: ['auth'],
        summary: 'The public keys access tokens are signed with (a JWKS)',
        security: ANYONE,
        responses: responses({ 200: { description: 'The public keys.', schema: jwksResponse }, 304: notModified }, []),
      },
      },
  };
}
