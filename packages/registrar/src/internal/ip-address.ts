import { isIP } from 'node:net';

/** An IP literal without brackets, IPv4-mapped IPv6 turned into IPv4, lower case. */
export function normalizeIp(address: string): string {
  let text = address.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  return mapped?.[1] ?? text.toLowerCase();
}

/** True for an IPv4 or IPv6 literal (brackets allowed). */
export function isIpLiteral(text: string): boolean {
  return isIP(normalizeIp(text)) !== 0;
}

/** `ip:port`, with brackets around IPv6 (ast_sockaddr_stringify()). */
export function formatAddressPort(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** Asterisk's atoi(): leading blanks, an optional sign and the leading digits; 0 otherwise. */
export function atoi(text: string | undefined): number {
  const match = /^\s*([+-]?\d+)/.exec(text ?? '');
  return match?.[1] === undefined ? 0 : Number.parseInt(match[1], 10);
}
