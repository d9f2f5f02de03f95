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

const compactMap = new Map(Object.entries(compactHeaderNames));
/** Keys of names already seen (header names repeat endlessly; bounded so odd input cannot grow it). */
const keyCache = new Map<string, string>();

/** Lower-case full name of a header name given in full or compact form. */
export function canonicalHeaderKey(name: string): string {
  const cached = keyCache.get(name);
  if (cached !== undefined) return cached;
  const lower = name.trim().toLowerCase();
  const key = compactMap.get(lower) ?? lower;
  if (keyCache.size < 1024) keyCache.set(name, key);
  return key;
}
