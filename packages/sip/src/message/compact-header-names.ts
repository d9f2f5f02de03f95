/**
 * Compact header forms (RFC 3261 §7.3.3 and the IANA SIP header registry), compact letter →
 * full lower-case name.
 */
export const compactHeaderNames: Readonly<Record<string, string>> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
};

/** Lower-case full name of a header name given in full or compact form. */
export function canonicalHeaderKey(name: string): string {
  const lower = name.trim().toLowerCase();
  return compactHeaderNames[lower] ?? lower;
}
