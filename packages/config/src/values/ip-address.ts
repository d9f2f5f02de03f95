import { isIPv4, isIPv6 } from 'node:net';

/** The address families Asterisk's `ast_sockaddr` holds. */
export type IpFamily = 'ipv4' | 'ipv6';

/** An IP address and optional port, as `ast_sockaddr_parse()` reads `ip[:port]` / `[ip6][:port]`. */
export interface SocketAddress {
  /** The address without brackets, e.g. `0.0.0.0` or `::`. */
  readonly host: string;
  readonly family: IpFamily;
  /** Absent when the text gave no port. */
  readonly port?: number;
}

/** A host name or IP literal and an optional port, from `host[:port]` or `[ip6][:port]`. */
export interface HostPort {
  readonly host: string;
  readonly port?: number;
}

/** The family of an IP literal, or `undefined` for anything else (names included). */
export function ipFamily(text: string): IpFamily | undefined {
  if (isIPv4(text)) return 'ipv4';
  if (isIPv6(text)) return 'ipv6';
  return undefined;
}

/**
 * Splits `host[:port]` like `ast_sockaddr_split_hostport()`: brackets enclose an IPv6 host;
 * an unbracketed text with more than one `:` is an IPv6 host without a port. Returns
 * `undefined` for a malformed text (an unclosed bracket, text after `]`, an empty host).
 */
export function splitHostPort(text: string): { host: string; port: string | undefined } | undefined {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return undefined;
    const host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return undefined;
    return host === '' ? undefined : { host, port: rest === '' ? undefined : rest.slice(1) };
  }
  const firstColon = text.indexOf(':');
  if (firstColon >= 0 && firstColon === text.lastIndexOf(':')) {
    const host = text.slice(0, firstColon);
    return host === '' ? undefined : { host, port: text.slice(firstColon + 1) };
  }
  return text === '' ? undefined : { host: text, port: undefined };
}

/** Parses an IP literal with an optional port (`ast_parse_arg(PARSE_ADDR)`), or `undefined`. */
export function parseSocketAddress(text: string): SocketAddress | undefined {
  const split = splitHostPort(text.trim());
  if (split === undefined) return undefined;
  const family = ipFamily(split.host);
  if (family === undefined) return undefined;
  if (split.port === undefined) return { host: split.host, family };
  const port = /^\d+$/.test(split.port) ? Number(split.port) : Number.NaN;
  // ast_sockaddr_parse() accepts port 0 ("any"); chan_sip then picks the standard port.
  if (!(port >= 0 && port <= 65535)) return undefined;
  return { host: split.host, family, port };
}

/** Parses `host[:port]` where the host may be a name; `undefined` when malformed. */
export function parseHostPort(text: string): HostPort | undefined {
  const split = splitHostPort(text.trim());
  if (split === undefined) return undefined;
  if (split.port === undefined) return { host: split.host };
  if (!/^\d+$/.test(split.port)) return undefined;
  const port = Number(split.port);
  return port >= 1 && port <= 65535 ? { host: split.host, port } : undefined;
}
