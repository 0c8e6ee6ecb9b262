import { describe, expect, it } from 'vitest';
import { setCookies } from './set-cookie.js';

describe('setCookies', () => {
  it('keeps one cookie whole, its Expires date and the comma in it included', () => {
    const cleared = 'refresh_token=; Path=/api/auth; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict';
    expect(setCookies(cleared)).toEqual([cleared]);
  });

  it('splits cookies the HTTP client joined with ", " back into one each', () => {
    const first = 'refresh_token=abc.def; Max-Age=604800; Path=/api/auth; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly; SameSite=Strict';
    const second = 'theme=dark; Path=/';
    const third = 'session_hint=1; Expires=Fri, 02 Jan 2026 00:00:00 GMT';
    expect(setCookies(`${first}, ${second}, ${third}`)).toEqual([first, second, third]);
  });
});
