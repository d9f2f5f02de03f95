import type { ConfVariable } from '../conf-types.js';
import { parseAstBool } from '../values/ast-bool.js';
import { parseInteger } from '../values/integers.js';
import type { GeneralDraft, SectionPass } from './sip-drafts.js';

/** What an option's parser may use and report while reading one line. */
export interface OptionContext {
  readonly variable: ConfVariable;
  /** `[general]` as read so far (devices read after it). */
  readonly general: GeneralDraft;
  readonly pass: SectionPass;
  /** The section being read (device name or `general`). */
  readonly section: string;
  error(message: string): void;
  warning(message: string): void;
}

/** Reads one line's value into a draft. */
export type Applier<T> = (target: T, value: string, context: OptionContext) => void;

/** Reports a value the option does not accept; Asterisk would fall back to a default. */
export function invalid(context: OptionContext, expected: string): void {
  const { name, value } = context.variable;
  context.error(`invalid value '${value}' for '${name}': expected ${expected}`);
}

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

/** Limits of an integer option. */
export interface IntegerRange {
  readonly min?: number;
  readonly max?: number;
  /** Multiplier applied after validation (e.g. 1000 for seconds stored as ms). */
  readonly scale?: number;
}

/** Parses an integer (within `range`) or reports it. */
export function readInteger(value: string, context: OptionContext, range: IntegerRange = {}): number | undefined {
  const parsed = parseInteger(value);
  const { min, max } = range;
  if (parsed === undefined || (min !== undefined && parsed < min) || (max !== undefined && parsed > max)) {
    const bounds =
      min !== undefined && max !== undefined
        ? ` from ${min} to ${max}`
        : min !== undefined
          ? ` of at least ${min}`
          : max !== undefined
            ? ` of at most ${max}`
            : '';
    invalid(context, `a whole number${bounds}`);
    return undefined;
  }
  return parsed * (range.scale ?? 1);
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

/** Reads a word as `ast_true()`, `ast_false()` or one of `extra` words. */
export function readBoolOr<W extends string>(
  value: string,
  context: OptionContext,
  extra: readonly W[],
): boolean | W | undefined {
  const lower = value.toLowerCase();
  const word = extra.find((candidate) => candidate === lower);
  if (word !== undefined) return word;
  const parsed = parseAstBool(value);
  if (parsed === undefined) invalid(context, ['yes', 'no', ...extra].join(', '));
  return parsed;
}

/** Splits a comma list the way `strsep(",")` does (items trimmed, empty items kept). */
export function commaItems(value: string): string[] {
  return value.split(',').map((item) => item.trim());
}

/** Applies an applier of the device defaults to `[general]`'s draft. */
export function onDefaults(applier: Applier<GeneralDraft['deviceDefaults']>): Applier<GeneralDraft> {
  return (general, value, context) => applier(general.deviceDefaults, value, context);
}
