import { BlockList } from 'node:net';
import type { AccessControl, IpNetwork } from '@tandem/config';
import { normalizeIp } from '../internal/ip-address.js';

/** Named ACLs (acl.conf) by name, for `acl = name` lines. */
export type NamedAcls = ReadonlyMap<string, AccessControl>;

const blockLists = new WeakMap<IpNetwork, BlockList>();

function blockListFor(network: IpNetwork): BlockList {
  let list = blockLists.get(network);
  if (list === undefined) {
    list = new BlockList();
    list.addSubnet(network.address, network.prefixLength, network.family);
    blockLists.set(network, list);
  }
  return list;
}

function applyRules(control: AccessControl, address: string, family: 'ipv4' | 'ipv6'): boolean {
  // main/acl.c ast_apply_ha(): start optimistic, the last matching rule decides, rules of
  // the other address family are skipped.
  let allowed = true;
  for (const rule of control.rules) {
    if (rule.network.family === family && blockListFor(rule.network).check(address, family)) {
      allowed = rule.access === 'permit';
    }
  }
  return allowed;
}

/**
 * Whether `address` passes `control` (main/acl.c ast_apply_acl()): its own permit/deny rules
 * and every named ACL must allow it; a named ACL that does not exist denies (an invalid ACL).
 */
export function accessAllows(control: AccessControl, address: string, named: NamedAcls = new Map()): boolean {
  if (control.rules.length === 0 && control.namedAcls.length === 0) return true;
  const ip = normalizeIp(address);
  const family = ip.includes(':') ? 'ipv6' : 'ipv4';
  if (!applyRules(control, ip, family)) return false;
  for (const name of control.namedAcls) {
    const namedControl = [...named.entries()].find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
    if (namedControl === undefined || !applyRules(namedControl, ip, family)) return false;
  }
  return true;
}

/** True when `control` has any rule (the `A` column of `sip show peers`). */
export function hasAccessRules(control: AccessControl): boolean {
  return control.rules.length > 0 || control.namedAcls.length > 0;
}
