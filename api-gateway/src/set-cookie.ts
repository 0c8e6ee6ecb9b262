/**
 * The cookies of a service's Set-Cookie, one string each. The HTTP client joins repeated
 * headers with ", ", which for Set-Cookie alone is ambiguous: an `Expires` date holds a
 * comma (RFC 6265 §4.1.1). So it is split only where a comma is followed by the next
 * cookie's `name=`, which a date never is (and a cookie value may not hold a comma).
 */
export function setCookies(joined: string): string[] {
  return joined.split(/,\s*(?=[^;,=\s]+=)/).filter((cookie) => cookie.length > 0);
}
