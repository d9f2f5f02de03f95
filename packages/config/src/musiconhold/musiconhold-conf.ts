import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { ConfDocument, Diagnostic } from '../conf-types.js';
import type { ValueContext } from '../document/value-context.js';
import { ParsedOnlyOptions } from '../diagnostics/parsed-only-options.js';
import { warningAt } from '../diagnostics/diagnostic.js';
import { sameName } from '../document/category-lookup.js';
import { readSection } from '../document/section-reader.js';
import { readBool, readChoice } from '../values/value-readers.js';

/** How a class orders its files (res_musiconhold `sort=`). */
export type MusicSort = 'alpha' | 'random' | 'randstart';

/** One music class: the files it plays, in a directory (`mode=files`) or listed (`mode=playlist`). */
export interface MusicOnHoldClass {
  readonly name: string;
  readonly mode: 'files' | 'playlist';
  /** `mode=files`: the absolute directory whose sound files the class plays. */
  readonly directory?: string;
  /** `mode=playlist`: the `entry=` lines in order (absolute paths or names the sounds directory resolves). */
  readonly entries: readonly string[];
  readonly sort: MusicSort;
}

/** musiconhold.conf: its classes and `[general] preferchannelclass`. */
export interface MusicOnHoldConf {
  readonly classes: readonly MusicOnHoldClass[];
  /**
   * `[general] preferchannelclass` (default yes): a class set with CHANNEL(musicclass) wins over
   * the one a holding party suggests.
   */
  readonly preferChannelClass: boolean;
  /** False when musiconhold.conf was absent (Tandem then offers its bundled `default` class). */
  readonly found: boolean;
}

/** The model of an absent musiconhold.conf. */
export const DEFAULT_MUSIC_ON_HOLD_CONF: MusicOnHoldConf = { classes: [], preferChannelClass: true, found: false };

/** Options res_musiconhold reads that Tandem does not act on (external players, announcements, digits). */
const PARSED_ONLY = ['application', 'announcement', 'digit', 'format', 'kill_escalation_delay', 'kill_method', 'loop_last', 'answeredonly'];

/**
 * Builds the musiconhold.conf model like res_musiconhold `load_moh_classes()`: every section but
 * `[general]` is a class; `mode=files` plays the sound files of `directory` (relative to the
 * config directory here, to Asterisk's data directory there), `mode=playlist` its `entry=` lines.
 * A class that cannot play (an external player mode, a missing directory, an empty playlist) is
 * reported at its line and skipped, as Asterisk does.
 */
export function buildMusicOnHoldConf(doc: ConfDocument, configDir: string): { config: MusicOnHoldConf; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const parsedOnly = new ParsedOnlyOptions();
  const classes: MusicOnHoldClass[] = [];
  let preferChannelClass = true;
  for (const category of doc.categories) {
    if (category.isTemplate) continue;
    if (sameName(category.name, 'general')) {
      readSection(
        category,
        {
          preferchannelclass: (value, context) => {
            preferChannelClass = readBool(value, context) ?? preferChannelClass;
          },
          // Realtime music classes are not read: nothing to cache.
          cachertclasses: () => undefined,
        },
        diagnostics,
        { fileName: 'musiconhold.conf', firstWins: true },
      );
      continue;
    }
    let mode = '';
    let directory: string | undefined;
    let sort: MusicSort = 'alpha';
    const entries: string[] = [];
    const readers: Record<string, (value: string, context: ValueContext) => void> = {
      mode: (value) => {
        mode = value.trim().toLowerCase();
      },
      directory: (value) => {
        directory = isAbsolute(value) ? value : resolve(configDir, value);
      },
      sort: (value, context) => {
        sort = readChoice(value.toLowerCase(), context, ['alpha', 'random', 'randstart'] as const) ?? sort;
      },
      // The older spelling of sort=random.
      random: (value, context) => {
        if (readBool(value, context) === true) sort = 'random';
      },
      entry: (value) => {
        if (value.trim() !== '') entries.push(value.trim());
      },
    };
    for (const name of PARSED_ONLY) readers[name] = () => undefined;
    readSection(category, readers, diagnostics, {
      fileName: 'musiconhold.conf',
      firstWins: false,
      parsedOnly: { names: PARSED_ONLY, noted: parsedOnly, prefix: `[${category.name}] ` },
    });
    if (mode === 'files' || mode === '') {
      if (directory === undefined) {
        diagnostics.push(warningAt(category, `music class '${category.name}' has mode=files but no directory; ignored`));
        continue;
      }
      if (!existsSync(directory) || !statSync(directory).isDirectory()) {
        diagnostics.push(warningAt(category, `music class '${category.name}': directory '${directory}' not found; ignored`));
        continue;
      }
      classes.push({ name: category.name, mode: 'files', directory, entries: [], sort });
    } else if (mode === 'playlist') {
      if (entries.length === 0) {
        diagnostics.push(warningAt(category, `music class '${category.name}' has mode=playlist but no entry; ignored`));
        continue;
      }
      classes.push({ name: category.name, mode: 'playlist', entries, sort });
    } else {
      diagnostics.push(
        warningAt(category, `music class '${category.name}': mode=${mode} (an external player) is not supported by Tandem; ignored`),
      );
    }
  }
  const parsedOnlyWarning = parsedOnly.warning();
  if (parsedOnlyWarning !== undefined) diagnostics.push(parsedOnlyWarning);
  return { config: { classes, preferChannelClass, found: true }, diagnostics };
}

/** The class called `name` (case-insensitive), if defined. */
export function findMusicClass(config: MusicOnHoldConf, name: string): MusicOnHoldClass | undefined {
  return config.classes.find((musicClass) => sameName(musicClass.name, name));
}
