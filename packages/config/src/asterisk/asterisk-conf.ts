import type { ConfDocument, Diagnostic } from '../conf-types.js';
import { firstCategory, sameName } from '../document/category-lookup.js';
import { valueContext } from '../document/value-context.js';
import { warningAt } from '../diagnostics/diagnostic.js';
import { readBool } from '../values/value-readers.js';

/** What Tandem reads from asterisk.conf `[options]`. */
export interface AsteriskConf {
  /** `execincludes`: allow `#exec` in other files (default no). */
  readonly execIncludes: boolean;
  /** `systemname`: the default SIP realm and realtime `regserver` (default: none). */
  readonly systemName?: string;
}

/** The model of an absent asterisk.conf. */
export const DEFAULT_ASTERISK_CONF: AsteriskConf = { execIncludes: false };

/**
 * Builds the asterisk.conf model. Tandem reads `[options] execincludes` and `systemname`
 * (main/options.c `ast_readconfig()`); everything else in the file is named in one warning.
 */
export function buildAsteriskConf(doc: ConfDocument): { config: AsteriskConf; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let execIncludes = false;
  let systemName: string | undefined;
  const ignored: string[] = [];
  const options = firstCategory(doc, 'options');
  for (const category of doc.categories) {
    if (category.isTemplate) continue;
    for (const variable of category.variables) {
      const name = variable.name.toLowerCase();
      if (category === options && name === 'execincludes') {
        execIncludes = readBool(variable.value, valueContext(variable, diagnostics)) ?? execIncludes;
      } else if (category === options && name === 'systemname') {
        systemName = variable.value;
      } else {
        ignored.push(sameName(category.name, 'options') ? variable.name : `[${category.name}] ${variable.name}`);
      }
    }
  }
  if (ignored.length > 0) {
    diagnostics.push(warningAt({ file: doc.file, line: 0 }, `asterisk.conf settings Tandem does not use: ${ignored.join(', ')}`));
  }
  return { config: systemName === undefined || systemName === '' ? { execIncludes } : { execIncludes, systemName }, diagnostics };
}
