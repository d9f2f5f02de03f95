import type { ConfCategory, ConfDocument, ConfVariable, Diagnostic } from '../conf-types.js';
import { categoriesNamed, firstCategory, sameName } from '../document/category-lookup.js';
import { errorAt, warningAt } from '../diagnostics/diagnostic.js';
import { ParsedOnlyOptions } from '../diagnostics/parsed-only-options.js';
import { parseAstBool } from '../values/ast-bool.js';

/** extensions.conf `[general]`, with pbx_config's defaults (Asterisk 20, pbx/pbx_config.c). */
export interface ExtensionsGeneral {
  /** `static`: `dialplan save` allowed (default no). */
  readonly static: boolean;
  /** `writeprotect` (default no: `ast_true()` of an absent value). */
  readonly writeprotect: boolean;
  /** `autofallthrough` (default yes): running off an extension hangs up instead of waiting. */
  readonly autofallthrough: boolean;
  /** `extenpatternmatchnew` (default no). */
  readonly extenpatternmatchnew: boolean;
  /** `clearglobalvars` (default no): a reload clears globals not in the file. */
  readonly clearglobalvars: boolean;
  /** `userscontext` (default `default`): the context users.conf extensions go to. */
  readonly userscontext: string;
}

/** The typed model of extensions.conf that the dialplan package compiles. */
export interface ExtensionsConf {
  readonly general: ExtensionsGeneral;
  /** Every `[globals]` section's lines, in file order (Asterisk merges all of them). */
  readonly globals: readonly ConfVariable[];
  /** Every other non-template category, in file order (duplicate names kept separate). */
  readonly contexts: readonly ConfCategory[];
}

/** The model of an absent extensions.conf. */
export const DEFAULT_EXTENSIONS_GENERAL: ExtensionsGeneral = {
  static: false,
  writeprotect: false,
  autofallthrough: true,
  extenpatternmatchnew: false,
  clearglobalvars: false,
  userscontext: 'default',
};

type GeneralBoolean = 'static' | 'writeprotect' | 'autofallthrough' | 'extenpatternmatchnew' | 'clearglobalvars';
const GENERAL_BOOLEANS: readonly GeneralBoolean[] = [
  'static',
  'writeprotect',
  'autofallthrough',
  'extenpatternmatchnew',
  'clearglobalvars',
];

/**
 * Builds the extensions.conf model. Like pbx_config's `pbx_load_config()`, `[general]` is the
 * first non-template `[general]` and each option's first line counts; `[general]` and
 * `[globals]` are not contexts; templates are skipped.
 */
export function buildExtensionsConf(doc: ConfDocument): { config: ExtensionsConf; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const generalCategory = firstCategory(doc, 'general');
  const general = generalCategory ? readGeneral(generalCategory, diagnostics) : DEFAULT_EXTENSIONS_GENERAL;
  for (const ignored of categoriesNamed(doc, 'general').slice(1)) {
    diagnostics.push(warningAt(ignored, "a second [general] section is ignored (Asterisk reads only the first)"));
  }
  const globals = categoriesNamed(doc, 'globals').flatMap((category) => category.variables);
  const contexts = doc.categories.filter(
    (category) => !category.isTemplate && !sameName(category.name, 'general') && !sameName(category.name, 'globals'),
  );
  return { config: { general, globals, contexts }, diagnostics };
}

/**
 * `[general]` options Tandem reads but does not act on: `static`/`writeprotect` only matter to
 * `dialplan save` (which Tandem has not), `extenpatternmatchnew` picks Asterisk's other
 * matcher (Tandem has one), `userscontext` belongs to users.conf (not read).
 */
const PARSED_ONLY_GENERAL: readonly string[] = ['static', 'writeprotect', 'extenpatternmatchnew', 'userscontext'];

function readGeneral(category: ConfCategory, diagnostics: Diagnostic[]): ExtensionsGeneral {
  const parsedOnly = new ParsedOnlyOptions();
  const seen = new Set<string>();
  const values: { -readonly [K in keyof ExtensionsGeneral]: ExtensionsGeneral[K] } = { ...DEFAULT_EXTENSIONS_GENERAL };
  for (const variable of category.variables) {
    const key = variable.name.toLowerCase();
    if (seen.has(key)) {
      diagnostics.push(warningAt(variable, `'${variable.name}' repeated in [general]: the first value is used`));
      continue;
    }
    seen.add(key);
    if (PARSED_ONLY_GENERAL.includes(key)) parsedOnly.note(key, variable);
    const booleanKey = GENERAL_BOOLEANS.find((name) => name === key);
    if (booleanKey !== undefined) {
      const parsed = parseAstBool(variable.value);
      if (parsed === undefined) {
        diagnostics.push(errorAt(variable, `invalid value '${variable.value}' for '${variable.name}': expected yes or no`));
      } else {
        values[booleanKey] = parsed;
      }
    } else if (key === 'userscontext') {
      // pbx_config: `ast_variable_retrieve() ?: "default"`, so an empty value stays empty.
      values.userscontext = variable.value;
    } else if (key === 'overrideswitch') {
      diagnostics.push(warningAt(variable, "'overrideswitch' is not supported by Tandem and is ignored"));
    } else {
      diagnostics.push(warningAt(variable, `unknown option '${variable.name}' in [general] of extensions.conf, ignored`));
    }
  }
  const parsedOnlyWarning = parsedOnly.warning();
  if (parsedOnlyWarning !== undefined) diagnostics.push(parsedOnlyWarning);
  return values;
}
