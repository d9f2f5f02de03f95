import type { ConfCategory, Diagnostic } from '../conf-types.js';
import { warningAt } from '../diagnostics/diagnostic.js';
import type { ParsedOnlyOptions } from '../diagnostics/parsed-only-options.js';
import type { ValueContext } from './value-context.js';
import { valueContext } from './value-context.js';

/** Reads one option's value. */
export type FieldReader = (value: string, context: ValueContext) => void;

/** How {@link readSection} treats a section's lines. */
export interface SectionReadOptions {
  /** The file, for messages (e.g. `rtp.conf`). */
  readonly fileName: string;
  /**
   * True for modules that look options up with `ast_variable_retrieve()`, where the first
   * line of a name counts; later ones are reported and skipped. False: every line is read.
   */
  readonly firstWins: boolean;
  /** Lower-case names every line of which counts even when `firstWins` (lists such as ACLs). */
  readonly repeatable?: readonly string[];
  /**
   * Lower-case names Tandem reads but does not act on yet, where their uses are noted, and a
   * prefix for the names in the warning (`[http] `).
   */
  readonly parsedOnly?: { readonly names: readonly string[]; readonly noted: ParsedOnlyOptions; readonly prefix?: string };
}

/**
 * Feeds each line of `category` to the reader registered for its name (case-insensitive);
 * names without a reader are reported as unknown.
 */
export function readSection(
  category: ConfCategory,
  readers: Readonly<Record<string, FieldReader>>,
  diagnostics: Diagnostic[],
  options: SectionReadOptions,
): void {
  const seen = new Set<string>();
  for (const variable of category.variables) {
    const name = variable.name.toLowerCase();
    const reader = Object.hasOwn(readers, name) ? readers[name] : undefined;
    if (reader === undefined) {
      diagnostics.push(warningAt(variable, `unknown option '${variable.name}' in [${category.name}] of ${options.fileName}, ignored`));
      continue;
    }
    if (options.firstWins && seen.has(name) && !(options.repeatable ?? []).includes(name)) {
      diagnostics.push(warningAt(variable, `'${variable.name}' repeated in [${category.name}] of ${options.fileName}: the first value is used`));
      continue;
    }
    seen.add(name);
    if (options.parsedOnly?.names.includes(name) === true) options.parsedOnly.noted.note(`${options.parsedOnly.prefix ?? ''}${name}`, variable);
    reader(variable.value, valueContext(variable, diagnostics));
  }
}
