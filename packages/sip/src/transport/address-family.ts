import { isIP } from 'node:net';

/** 4 or 6 for an IP literal (brackets allowed), 0 for anything else. */
export function ipFamily(address: string): 0 | 4 | 6 {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  return family === 4 || family === 6 ? family : 0;
}

/** `::ffff:192.0.2.1` → `192.0.2.1`; other addresses unchanged (brackets removed). */
export function normalizeAddress(address: string): string {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  return mapped?.[1] ?? bare;
}

/** True for the wildcard addresses `0.0.0.0` and `::`. */
export function isWildcardAddress(address: string): boolean {
  const bare = normalizeAddress(address);
  return bare === '0.0.0.0' || bare === '::';
}

/** `address:port` with IPv6 in brackets, for keys and messages. */
export function formatHostPort(address: string, port: number): string {
  return ipFamily(address) === 6 ? `[${normalizeAddress(address)}]:${port}` : `${address}:${port}`;
}
