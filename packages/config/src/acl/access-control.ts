import type { IpNetwork } from '../values/ip-network.js';
import { parseIpNetwork } from '../values/ip-network.js';

/** One `permit`/`deny` entry; the last matching rule of a list decides (main/acl.c `ast_apply_ha()`). */
export interface HostAccessRule {
  readonly access: 'permit' | 'deny';
  readonly network: IpNetwork;
}

/**
 * An access list as main/acl.c builds it: the `permit`/`deny` rules in written order, and
 * the named ACLs (`acl = name`, defined in acl.conf) which must each allow an address too.
 */
export interface AccessControl {
  readonly rules: readonly HostAccessRule[];
  readonly namedAcls: readonly string[];
}

/** An access list with no rules: everything allowed. */
export const OPEN_ACCESS: AccessControl = { rules: [], namedAcls: [] };

/**
 * Adds one `permit`, `deny` or `acl` line (main/acl.c `ast_append_acl()`): a comma list of
 * `[!]ip[/mask]` (a `!` flips the sense) or of named ACLs. Returns the new list, or the
 * reason the whole line is invalid.
 */
export function appendAccessLine(
  control: AccessControl,
  sense: 'permit' | 'deny' | 'acl',
  value: string,
): { ok: true; control: AccessControl } | { ok: false; reason: string } {
  if (sense === 'acl') {
    const names = value.split(',').map((name) => name.trim());
    const namedAcls = [...control.namedAcls];
    for (const name of names) {
      if (namedAcls.some((existing) => existing.toLowerCase() === name.toLowerCase())) {
        return { ok: false, reason: `named ACL '${name}' occurs multiple times in ACL definition` };
      }
      namedAcls.push(name);
    }
    return { ok: true, control: { rules: control.rules, namedAcls } };
  }
  const rules = [...control.rules];
  for (const item of value.split(',')) {
    const trimmed = item.trim();
    const negated = trimmed.startsWith('!');
    const parsed = parseIpNetwork(negated ? trimmed.slice(1) : trimmed);
    if (!parsed.ok) return { ok: false, reason: parsed.reason };
    const access = negated === (sense === 'permit') ? 'deny' : 'permit';
    rules.push({ access, network: parsed.network });
  }
  return { ok: true, control: { rules, namedAcls: control.namedAcls } };
}
