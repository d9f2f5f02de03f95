import type { ConfDocument, Diagnostic } from '../conf-types.js';
import { firstCategory, firstVariable, sameName } from '../document/category-lookup.js';
import { valueContext } from '../document/value-context.js';
import { warningAt } from '../diagnostics/diagnostic.js';

/** One country's tones (`[us]` ...): ring cadence and named tone lists such as `dial`, `busy`. */
export interface ToneZone {
  readonly country: string;
  readonly description: string;
  /** Milliseconds on/off of the ringer. */
  readonly ringCadence: readonly number[];
  /** Tone name (lower-case) to its `[!]freq[+|*freq][/ms],...` list. */
  readonly tones: Readonly<Record<string, string>>;
}

/** indications.conf: the default country and every tone zone. */
export interface IndicationsConf {
  /** `[general] country` (the zone used when a channel names none). */
  readonly defaultCountry: string;
  readonly zones: readonly ToneZone[];
}

/** Asterisk's `[us]` zone from indications.conf.sample, used when the file is absent. */
export const US_TONE_ZONE: ToneZone = {
  country: 'us',
  description: 'United States / North America',
  ringCadence: [2000, 4000],
  tones: {
    dial: '350+440',
    busy: '480+620/500,0/500',
    ring: '440+480/2000,0/4000',
    congestion: '480+620/250,0/250',
    callwaiting: '440/300,0/10000',
    dialrecall: '!350+440/100,!0/100,!350+440/100,!0/100,!350+440/100,!0/100,350+440',
    record: '1400/500,0/15000',
    info: '!950/330,!1400/330,!1800/330,0',
    stutter:
      '!350+440/100,!0/100,!350+440/100,!0/100,!350+440/100,!0/100,!350+440/100,!0/100,!350+440/100,!0/100,!350+440/100,!0/100,350+440',
  },
};

/** The model of an absent indications.conf. */
export const DEFAULT_INDICATIONS_CONF: IndicationsConf = { defaultCountry: 'us', zones: [US_TONE_ZONE] };

/** main/indications.c `ast_tone_zone_part_parse()` accepts these (it ignores trailing text). */
const TONE_PART = /^!?(?:M?\d+(?:[+*]M?\d+)?(?:\/\d+)?)/;

/**
 * Builds the indications.conf model like main/indications.c `load_indications()`: every
 * section but `[general]` is a zone; a zone needs a description and at least one tone.
 */
export function buildIndicationsConf(doc: ConfDocument): { config: IndicationsConf; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const zones: ToneZone[] = [];
  for (const category of doc.categories) {
    if (category.isTemplate || sameName(category.name, 'general')) continue;
    let description = '';
    let ringCadence: number[] = [];
    const tones: Record<string, string> = {};
    for (const variable of category.variables) {
      const name = variable.name.toLowerCase();
      const context = valueContext(variable, diagnostics);
      if (name === 'description') description = variable.value;
      else if (name === 'ringcadence') {
        ringCadence = [];
        for (const part of variable.value.split(',').map((item) => item.trim())) {
          if (/^\d+$/.test(part)) ringCadence.push(Number(part));
          else context.error(`invalid ringcadence given '${part}'`);
        }
      } else {
        const bad = variable.value.split(',').map((part) => part.trim()).find((part) => !TONE_PART.test(part));
        if (bad !== undefined) context.error(`invalid tone part '${bad}' in '${variable.name}'`);
        else tones[name] = variable.value;
      }
    }
    if (description === '' || Object.keys(tones).length === 0) {
      diagnostics.push(warningAt(category, `indication country '${category.name}' is invalid (it needs a description and a tone); ignored`));
      continue;
    }
    zones.push({ country: category.name, description, ringCadence, tones });
  }
  const general = firstCategory(doc, 'general');
  const country = firstVariable(general, 'country');
  let defaultCountry = zones[0]?.country ?? 'us';
  if (country === undefined || country.value === '') {
    diagnostics.push(warningAt(general ?? { file: doc.file, line: 0 }, 'missing default country (for indication tones)'));
  } else if (!zones.some((zone) => sameName(zone.country, country.value))) {
    diagnostics.push(warningAt(country, `unable to set the default country '${country.value}': no such zone`));
  } else {
    defaultCountry = country.value;
  }
  return { config: { defaultCountry, zones }, diagnostics };
}

/** The zone for `country` (case-insensitive), if defined. */
export function findToneZone(config: IndicationsConf, country: string): ToneZone | undefined {
  return config.zones.find((zone) => sameName(zone.country, country));
}
