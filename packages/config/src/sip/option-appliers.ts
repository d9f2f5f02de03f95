import type { ValueContext } from '../document/value-context.js';
import { parseAstBool } from '../values/ast-bool.js';
import type { IntegerRange } from '../values/value-readers.js';
import { invalid, readInteger } from '../values/value-readers.js';
import type { GeneralDraft, SectionPass } from './sip-drafts.js';

/** What an option's parser may use and report while reading one line. */
export interface OptionContext extends ValueContext {
  /** `[general]` as read so far (devices read after it). */
  readonly general: GeneralDraft;
  readonly pass: SectionPass;
  /** The section being read (device name or `general`). */
  readonly section: string;
}

/** Reads one line's value into a draft. */
export type Applier<T> = (target: T, value: string, context: OptionContext) => void;

type KeysOfType<T, V> = { [K in keyof T]-?: T[K] extends V ? (V extends T[K] ? K : never) : never }[keyof T];

/** `ast_true()` / `ast_false()` into a boolean field; any other word is an error. */
export function booleanField<T>(key: KeysOfType<T, boolean>): Applier<T> {
  return (target, value, context) => {
    const parsed = parseAstBool(value);
    if (parsed === undefined) invalid(context, 'yes or no');
    else (target[key] as boolean) = parsed;
  };
}

/** The value as written into a string field. */
export function stringField<T>(key: KeysOfType<T, string>): Applier<T> {
  return (target, value) => {
    (target[key] as string) = value;
  };
}

/** An integer field within `range`. */
export function integerField<T>(key: KeysOfType<T, number>, range: IntegerRange = {}): Applier<T> {
  return (target, value, context) => {
    const parsed = readInteger(value, context, range);
    if (parsed !== undefined) (target[key] as number) = parsed;
  };
}

/** One of a fixed set of words (case-insensitive) into a field. */
export function choiceField<T, K extends keyof T>(key: K, choices: Readonly<Record<string, T[K]>>): Applier<T> {
  return (target, value, context) => {
    const lower = value.toLowerCase();
    if (Object.hasOwn(choices, lower)) target[key] = choices[lower] as T[K];
    else invalid(context, Object.keys(choices).join(', '));
  };
}

/** Splits a comma list the way `strsep(",")` does (items trimmed, empty items kept). */
export function commaItems(value: string): string[] {
  return value.split(',').map((item) => item.trim());
}

/** Applies an applier of the device defaults to `[general]`'s draft. */
export function onDefaults(applier: Applier<GeneralDraft['deviceDefaults']>): Applier<GeneralDraft> {
  return (general, value, context) => applier(general.deviceDefaults, value, context);
}
