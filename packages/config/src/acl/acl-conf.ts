import type { ConfDocument, Diagnostic, SourceLocation } from '../conf-types.js';
import { readSection } from '../document/section-reader.js';
import { warningAt } from '../diagnostics/diagnostic.js';
import type { HostAccessRule } from './access-control.js';
import { appendAccessLine, OPEN_ACCESS } from './access-control.js';

/** One `[name]` of acl.conf: an ordered list of `permit`/`deny` rules. */
export interface NamedAcl extends SourceLocation {
  readonly name: string;
  readonly rules: readonly HostAccessRule[];
}

/** acl.conf: named ACLs that `acl = name` lines refer to. */
export interface AclConf {
  readonly acls: readonly NamedAcl[];
}

/** Builds the acl.conf model (main/named_acl.c: each section is an ACL of permit/deny lines). */
export function buildAclConf(doc: ConfDocument): { config: AclConf; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const acls: NamedAcl[] = [];
  for (const category of doc.categories) {
    if (category.isTemplate) continue;
    if (acls.some((acl) => acl.name.toLowerCase() === category.name.toLowerCase())) {
      diagnostics.push(warningAt(category, `named ACL '${category.name}' is defined twice; the first definition is used`));
      continue;
    }
    let control = OPEN_ACCESS;
    const rule = (sense: 'permit' | 'deny') => (value: string, context: { error(message: string): void }) => {
      const result = appendAccessLine(control, sense, value);
      if (result.ok) control = result.control;
      else context.error(`bad ACL entry '${value}': ${result.reason}`);
    };
    readSection(category, { permit: rule('permit'), deny: rule('deny') }, diagnostics, { fileName: 'acl.conf', firstWins: false });
    const { file, line, column } = category;
    acls.push({ ...(column === undefined ? { file, line } : { file, line, column }), name: category.name, rules: control.rules });
  }
  return { config: { acls }, diagnostics };
}
