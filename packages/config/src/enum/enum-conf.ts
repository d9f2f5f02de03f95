import type { ConfDocument, Diagnostic } from '../conf-types.js';
import { ParsedOnlyOptions } from '../diagnostics/parsed-only-options.js';
import { firstCategory } from '../document/category-lookup.js';
import { readSection } from '../document/section-reader.js';
import { readChoice } from '../values/value-readers.js';

/** enum.conf: Asterisk 20's `[ienum]` settings plus the 1.2-era `search =>` suffix list. */
export interface EnumConf {
  /** `[ienum] branchlabel`: label of infrastructure ENUM branches (default `i`). */
  readonly branchLabel: string;
  /** `[ienum] ebl_alg`: where the branch location record is looked up (default `cc`). */
  readonly eblAlgorithm: 'cc' | 'txt' | 'ebl';
  /**
   * `[general] search => suffix` lines in order (default `e164.arpa`). Asterisk 20 ignores
   * them; Tandem tries the suffixes in order as Asterisk 1.2 did.
   */
  readonly searchSuffixes: readonly string[];
}

/** The model of an absent enum.conf. */
export const DEFAULT_ENUM_CONF: EnumConf = { branchLabel: 'i', eblAlgorithm: 'cc', searchSuffixes: ['e164.arpa'] };

/** Builds the enum.conf model (main/enum.c `private_enum_init()`, first line of a name counts). */
export function buildEnumConf(doc: ConfDocument): { config: EnumConf; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let branchLabel = DEFAULT_ENUM_CONF.branchLabel;
  let eblAlgorithm = DEFAULT_ENUM_CONF.eblAlgorithm;
  const searchSuffixes: string[] = [];
  // ENUMLOOKUP takes its zone from its own argument (default e164.arpa): neither the search
  // suffixes nor infrastructure ENUM ([ienum]) are acted on yet.
  const parsedOnly = new ParsedOnlyOptions();
  const ienum = firstCategory(doc, 'ienum');
  if (ienum !== undefined) {
    readSection(
      ienum,
      {
        branchlabel: (value) => {
          branchLabel = value;
        },
        ebl_alg: (value, context) => {
          eblAlgorithm = readChoice(value, context, ['cc', 'txt', 'ebl'] as const) ?? eblAlgorithm;
        },
      },
      diagnostics,
      { fileName: 'enum.conf', firstWins: true, parsedOnly: { names: ['branchlabel', 'ebl_alg'], noted: parsedOnly, prefix: '[ienum] ' } },
    );
  }
  const general = firstCategory(doc, 'general');
  if (general !== undefined) {
    readSection(
      general,
      {
        search: (value, context) => {
          if (value === '') context.error("empty 'search' suffix");
          else if (!searchSuffixes.includes(value)) searchSuffixes.push(value);
        },
        h323driver: (_value, context) => {
          context.warning("'h323driver' is an Asterisk 1.2 option that Tandem (like Asterisk 20) ignores");
        },
      },
      diagnostics,
      { fileName: 'enum.conf', firstWins: false, parsedOnly: { names: ['search'], noted: parsedOnly } },
    );
  }
  const parsedOnlyWarning = parsedOnly.warning();
  if (parsedOnlyWarning !== undefined) diagnostics.push(parsedOnlyWarning);
  return {
    config: { branchLabel, eblAlgorithm, searchSuffixes: searchSuffixes.length > 0 ? searchSuffixes : DEFAULT_ENUM_CONF.searchSuffixes },
    diagnostics,
  };
}
