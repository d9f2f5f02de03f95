import { BlockList } from 'node:net';
import type { IpFamily } from './ip-address.js';
import { ipFamily } from './ip-address.js';

/** An IP network such as `10.0.0.0/8` (the address is kept as written, host bits included). */
export interface IpNetwork {
  readonly family: IpFamily;
  readonly address: string;
  readonly prefixLength: number;
}

/** Why a network text was rejected. */
export type IpNetworkResult = { readonly ok: true; readonly network: IpNetwork } | { readonly ok: false; readonly reason: string };

/**
 * Parses `ip`, `ip/bits` or `ip/netmask` like main/acl.c `append_ha_core()`: a bare address
 * is a /32 (or /128); an IPv4-mapped IPv6 address becomes IPv4. Tandem accepts only
 * contiguous netmasks.
 */
export function parseIpNetwork(text: string): IpNetworkResult {
  const slash = text.indexOf('/');
  let address = (slash < 0 ? text : text.slice(0, slash)).trim();
  const maskText = slash < 0 ? undefined : text.slice(slash + 1).trim();
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  let family = ipFamily(address);
  if (family === undefined) return { ok: false, reason: `invalid IP address '${address}'` };
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) {
    address = mapped[1];
    family = 'ipv4';
  }
  const bits = family === 'ipv4' ? 32 : 128;
  if (maskText === undefined) return { ok: true, network: { family, address, prefixLength: bits } };
  if (/^\d+$/.test(maskText)) {
    const prefixLength = Number(maskText);
    if (prefixLength > bits) return { ok: false, reason: `invalid netmask '/${maskText}'` };
    return { ok: true, network: { family, address, prefixLength } };
  }
  const maskFamily = ipFamily(maskText);
  if (maskFamily !== family) {
    return { ok: false, reason: maskFamily === undefined ? `invalid netmask '${maskText}'` : 'address and mask are not using the same address scheme' };
  }
  const prefixLength = contiguousPrefixLength(maskText, family);
  if (prefixLength === undefined) return { ok: false, reason: `netmask '${maskText}' is not contiguous (not supported by Tandem)` };
  return { ok: true, network: { family, address, prefixLength } };
}

function contiguousPrefixLength(mask: string, family: IpFamily): number | undefined {
  const bits = family === 'ipv4' ? ipv4Bits(mask) : ipv6Bits(mask);
  const match = /^(1*)(0*)$/.exec(bits);
  return match?.[1] === undefined ? undefined : match[1].length;
}

function ipv4Bits(address: string): string {
  return address
    .split('.')
    .map((octet) => Number(octet).toString(2).padStart(8, '0'))
    .join('');
}

function ipv6Bits(address: string): string {
  const [head = '', tail] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  return groups.map((group) => parseInt(group, 16).toString(2).padStart(16, '0')).join('');
}

/** True when `address` (an IP literal) lies in `network`; addresses of the other family never do. */
export function networkContains(network: IpNetwork, address: string): boolean {
  const family = ipFamily(address);
  if (family !== network.family) return false;
  const list = new BlockList();
  list.addSubnet(network.address, network.prefixLength, family);
  return list.check(address, family);
}
