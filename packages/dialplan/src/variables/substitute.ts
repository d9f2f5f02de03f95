/**
 * `${...}` and `$[...]` substitution (Asterisk 20, main/pbx_variables.c
 * `ast_str_substitute_variables_full2()`): inner references first, `${NAME:offset:length}`,
 * `${FUNC(args)}`, and `$` not followed by `{` or `[` kept literally.
 */
import { evaluateExpression, type ExpressionHost } from '../expression/evaluate-expression.js';
import { settle, type MaybePromise, type Steps } from '../internal/steps.js';

/** Where substitution finds values. */
export interface SubstitutionResolver extends ExpressionHost {
  /** A variable's value (built-ins, channel, globals); undefined when unset. */
  variable(name: string): string | undefined;
  /** Reads `FUNC(args)`; undefined when the function does not exist or failed. */
  readFunction(call: string): MaybePromise<string> | undefined;
}

/** Splits `NAME:offset:length` (parse_variable_name()): the colon must be outside parentheses. */
export function parseVariableReference(reference: string): {
  name: string;
  isFunction: boolean;
  offset: number;
  length: number | undefined;
} {
  let parens = 0;
  let isFunction = false;
  for (let i = 0; i < reference.length; i++) {
    const char = reference[i];
    if (char === '(') {
      isFunction = true;
      parens++;
    } else if (char === ')') {
      parens--;
    } else if (char === ':' && parens === 0) {
      // sscanf("%d:%d"): stops at the first field that does not parse.
      const match = /^\s*([+-]?\d+)(?::\s*([+-]?\d+))?/.exec(reference.slice(i + 1));
      const offset = match ? clampInt(Number(match[1])) : 0;
      const length = match?.[2] === undefined ? undefined : clampInt(Number(match[2]));
      return { name: reference.slice(0, i), isFunction, offset, length };
    }
  }
  return { name: reference, isFunction, offset: 0, length: undefined };
}

function clampInt(value: number): number {
  return Math.max(-2147483648, Math.min(2147483647, value));
}

/**
 * substring(): a negative offset counts from the end (clamped to the start); an offset past
 * the end gives ''; a negative length drops that many characters from the end.
 */
export function substring(value: string, offset: number, length: number | undefined): string {
  const total = value.length;
  if (offset === 0 && (length === undefined || length >= total)) return value;
  let start = offset;
  if (start < 0) start = Math.max(0, total + start);
  if (start >= total) return '';
  if (length === undefined) return value.slice(start);
  if (length >= 0) return value.slice(start, start + length);
  return total > start - length ? value.slice(start, total + length) : '';
}

/** Finds the end of a `${` or `$[` group starting after its opener; returns [inner, next, needsSubstitution]. */
function scanGroup(template: string, start: number, open: '{' | '[', close: '}' | ']', warn: (m: string) => void): [string, number, boolean] {
  let depth = 1;
  let needsSubstitution = false;
  let index = start;
  while (depth > 0 && index < template.length) {
    const char = template[index];
    const next = template[index + 1];
    if (char === '$' && next === open) {
      needsSubstitution = true;
      depth++;
      index++;
    } else if (char === open) {
      depth++;
    } else if (char === close) {
      depth--;
    } else if (char === '$' && (next === '{' || next === '[')) {
      needsSubstitution = true;
      index++;
    }
    index++;
  }
  if (depth > 0) {
    warn(`Error in extension logic (missing '${close}')`);
    return [template.slice(start, index), index, needsSubstitution];
  }
  return [template.slice(start, index - 1), index, needsSubstitution];
}

/** Substitutes every `${...}` and `$[...]` in `template`. */
export function* substituteSteps(template: string, resolver: SubstitutionResolver): Steps<string> {
  if (!template.includes('$')) return template;
  let output = '';
  let index = 0;
  while (index < template.length) {
    const dollar = template.indexOf('$', index);
    if (dollar < 0) {
      output += template.slice(index);
      break;
    }
    const kind = template[dollar + 1];
    if (kind !== '{' && kind !== '[') {
      output += template.slice(index, dollar + 1);
      index = dollar + 1;
      continue;
    }
    output += template.slice(index, dollar);
    const warn = (message: string): void => resolver.warn(message);
    const [inner, next, needsSubstitution] =
      kind === '{' ? scanGroup(template, dollar + 2, '{', '}', warn) : scanGroup(template, dollar + 2, '[', ']', warn);
    index = next;
    const text = needsSubstitution ? yield* substituteSteps(inner, resolver) : inner;
    if (kind === '[') {
      output += yield* evaluateExpression(text, resolver);
      continue;
    }
    const reference = parseVariableReference(text);
    let value: string | undefined;
    if (reference.isFunction) {
      const pending = resolver.readFunction(reference.name);
      value = pending === undefined ? undefined : yield* settle(pending);
    } else {
      value = resolver.variable(reference.name);
    }
    if (value !== undefined) output += substring(value, reference.offset, reference.length);
  }
  return output;
}
