import type { ValueContext } from '../document/value-context.js';
import { parseAstBool } from './ast-bool.js';
import { parseInteger } from './integers.js';

/** Reports a value the option does not accept (Asterisk would fall back to a default). */
export function invalid(context: ValueContext, expected: string): void {
  const { name, value } = context.variable;
  context.error(`invalid value '${value}' for '${name}': expected ${expected}`);
}

/** Limits of an integer option. */
export interface IntegerRange {
  readonly min?: number;
  readonly max?: number;
  /** Multiplier applied after validation (e.g. 1000 for seconds stored as ms). */
  readonly scale?: number;
}

/** Parses an integer (within `range`) or reports it. */
export function readInteger(value: string, context: ValueContext, range: IntegerRange = {}): number | undefined {
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

/** `ast_true()`/`ast_false()` strictly: any other word is reported and gives `undefined`. */
export function readBool(value: string, context: ValueContext): boolean | undefined {
  const parsed = parseAstBool(value);
  if (parsed === undefined) invalid(context, 'yes or no');
  return parsed;
}

/** Reads a word as `ast_true()`, `ast_false()` or one of `extra` words. */
export function readBoolOr<W extends string>(value: string, context: ValueContext, extra: readonly W[]): boolean | W | undefined {
  const lower = value.toLowerCase();
  const word = extra.find((candidate) => candidate === lower);
  if (word !== undefined) return word;
  const parsed = parseAstBool(value);
  if (parsed === undefined) invalid(context, ['yes', 'no', ...extra].join(', '));
  return parsed;
}

/** One of `choices` (case-insensitive), or reported. */
export function readChoice<W extends string>(value: string, context: ValueContext, choices: readonly W[]): W | undefined {
  const lower = value.toLowerCase();
  const choice = choices.find((candidate) => candidate === lower);
  if (choice === undefined) invalid(context, choices.join(', '));
  return choice;
}
