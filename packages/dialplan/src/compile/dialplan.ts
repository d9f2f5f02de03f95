/**
 * The compiled dialplan and its lookups (Asterisk 20, main/pbx.c `pbx_find_extension()`):
 * the first extension in match order that matches and has the wanted priority wins; a
 * context's own extensions come before its includes, which are searched in written order.
 */
import type { ExtensionsGeneral } from '@tandem/config';
import type { DialplanContext, DialplanExtension, DialplanPriority } from './dialplan-types.js';
import { HINT_PRIORITY } from './dialplan-types.js';
import { matchCallerId, matchExtension, type MatchMode } from './extension-pattern.js';

/** What to look for in an extension: a priority number or a label. */
export type PriorityTarget = number | string;

/** A successful lookup. */
export interface FoundExtension {
  /** The context the extension was found in (an included one, possibly). */
  readonly context: DialplanContext;
  readonly extension: DialplanExtension;
  /** The step (undefined for `canmatch`/`matchmore`, which only need the extension). */
  readonly step: DialplanPriority | undefined;
}

/** Options of a lookup. */
export interface FindOptions {
  /** The caller number for CID matching (empty = no caller ID). */
  readonly callerId?: string;
  /** The time include time-specs are checked against (default: now). */
  readonly now?: Date;
}

const MAX_INCLUDE_DEPTH = 128;

interface ContextIndex {
  readonly context: DialplanContext;
  /** Literal extensions by name without `-` (several when they differ by CID). */
  readonly literals: ReadonlyMap<string, readonly DialplanExtension[]>;
  /** Literal names without `-`, sorted, for prefix scans (canmatch / matchmore). */
  readonly sortedLiteralKeys: readonly string[];
  readonly patterns: readonly DialplanExtension[];
  /** Patterns that can match a string starting with a given character, in match order. */
  readonly patternsByFirstChar: Map<string, readonly DialplanExtension[]>;
}

/**
 * The characters the first position of a pattern accepts; undefined when it accepts any
 * (`.`, `!`) or the pattern is empty.
 */
function firstPositionAccepts(pattern: string): ((char: string) => boolean) | undefined {
  let index = 1;
  while (pattern[index] === '-') index++;
  const token = pattern[index];
  switch (token) {
    case undefined:
    case '.':
    case '!':
    case '/':
      return undefined;
    case 'n':
    case 'N':
      return (char) => char >= '2' && char <= '9';
    case 'x':
    case 'X':
      return (char) => char >= '0' && char <= '9';
    case 'z':
    case 'Z':
      return (char) => char >= '1' && char <= '9';
    case '[':
      // Sets (even empty ones, which Asterisk skips) are left to the full matcher.
      return undefined;
    default:
      return (char) => char === token;
  }
}

function stepFor(extension: DialplanExtension, target: PriorityTarget): DialplanPriority | undefined {
  if (typeof target === 'string') {
    const priority = extension.labels.get(target);
    return priority === undefined ? undefined : stepFor(extension, priority);
  }
  if (target === HINT_PRIORITY) return extension.hint;
  // Priorities are sorted; most lookups ask for small numbers near the start.
  for (const step of extension.priorities) {
    if (step.priority === target) return step;
    if (step.priority > target) return undefined;
  }
  return undefined;
}

function lowerBound(keys: readonly string[], value: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((keys[middle] as string) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A compiled extensions.conf. Immutable: a reload compiles a new one. */
export class Dialplan {
  private readonly indexes = new Map<string, ContextIndex>();

  constructor(
    /** extensions.conf `[general]`. */
    readonly general: ExtensionsGeneral,
    /** `[globals]` after substitution, in file order (a later line replaces an earlier one). */
    readonly globals: ReadonlyMap<string, string>,
    contexts: readonly DialplanContext[],
  ) {
    for (const context of contexts) {
      const literals = new Map<string, DialplanExtension[]>();
      const patterns: DialplanExtension[] = [];
      for (const extension of context.extensions) {
        if (extension.name.startsWith('_')) {
          patterns.push(extension);
          continue;
        }
        const key = extension.name.replaceAll('-', '');
        const list = literals.get(key);
        if (list) list.push(extension);
        else literals.set(key, [extension]);
      }
      this.indexes.set(context.name, { context, literals, sortedLiteralKeys: [...literals.keys()].sort(), patterns, patternsByFirstChar: new Map() });
    }
  }

  /** Every context, in the order they were first defined. */
  contexts(): DialplanContext[] {
    return [...this.indexes.values()].map((index) => index.context);
  }

  /** A context by name (case-sensitive), or undefined. */
  context(name: string): DialplanContext | undefined {
    return this.indexes.get(name)?.context;
  }

  /**
   * Finds the step to run for `exten` in `context` (E_MATCH / E_FINDLABEL), following
   * includes; undefined when no extension there has that priority or label.
   */
  find(context: string, exten: string, target: PriorityTarget, options: FindOptions = {}): FoundExtension | undefined {
    return this.search(context, exten, target, 'match', options, []) ?? undefined;
  }

  /** ast_exists_extension(). */
  exists(context: string, exten: string, target: PriorityTarget = 1, options: FindOptions = {}): boolean {
    return this.find(context, exten, target, options) !== undefined;
  }

  /** ast_canmatch_extension(): `exten` matches now or could with more digits. */
  canMatch(context: string, exten: string, options: FindOptions = {}): boolean {
    return (this.search(context, exten, 1, 'canmatch', options, []) ?? undefined) !== undefined;
  }

  /**
   * ast_matchmore_extension(): some extension needs more digits than `exten` (the decision
   * between waiting for digits and `484 Address Incomplete`).
   */
  matchMore(context: string, exten: string, options: FindOptions = {}): boolean {
    return (this.search(context, exten, 1, 'matchmore', options, []) ?? undefined) !== undefined;
  }

  /** The hint of `exten` in `context` (ast_get_hint()), or undefined. */
  hint(context: string, exten: string, options: FindOptions = {}): FoundExtension | undefined {
    return this.find(context, exten, HINT_PRIORITY, options);
  }

  /** Whether `digits` match an `ignorepat` of the context or its includes (ast_ignore_pattern()). */
  ignorePattern(context: string, digits: string): boolean {
    const index = this.indexes.get(context);
    if (!index) return false;
    return index.context.ignorePatterns.some((pattern) => matchExtension(pattern, digits, 'match') !== 0);
  }

  /** The patterns worth trying for `exten` (a per-first-character subset, built on demand). */
  private candidatePatterns(index: ContextIndex, exten: string): readonly DialplanExtension[] {
    const first = exten.replaceAll('-', '')[0];
    if (first === undefined || first === '_') return index.patterns;
    let bucket = index.patternsByFirstChar.get(first);
    if (!bucket) {
      bucket = index.patterns.filter((extension) => {
        const accepts = firstPositionAccepts(extension.name);
        return accepts === undefined || accepts(first);
      });
      // Keep the memory bounded: only single characters seen in lookups get a bucket.
      index.patternsByFirstChar.set(first, bucket);
    }
    return bucket;
  }

  private search(
    contextName: string,
    exten: string,
    target: PriorityTarget,
    mode: MatchMode,
    options: FindOptions,
    visited: string[],
  ): FoundExtension | undefined | null {
    if (visited.length >= MAX_INCLUDE_DEPTH) return undefined;
    const lowered = contextName.toLowerCase();
    if (visited.includes(lowered)) return undefined;
    const index = this.indexes.get(contextName);
    if (!index) return undefined;
    visited.push(lowered);
    const callerId = options.callerId ?? '';
    const accept = (extension: DialplanExtension): FoundExtension | undefined => {
      if (extension.callerIdPattern !== undefined && !matchCallerId(extension.callerIdPattern, callerId)) return undefined;
      const step = stepFor(extension, target);
      return step ? { context: index.context, extension, step } : undefined;
    };
    if (mode === 'match' && !exten.startsWith('_')) {
      for (const extension of index.literals.get(exten.replaceAll('-', '')) ?? []) {
        const found = accept(extension);
        if (found) return found;
      }
    } else {
      const key = exten.replaceAll('-', '');
      const keys = index.sortedLiteralKeys;
      for (let i = mode === 'match' ? 0 : lowerBound(keys, key); i < keys.length; i++) {
        const literalKey = keys[i] as string;
        if (mode !== 'match' && !literalKey.startsWith(key)) break;
        for (const extension of index.literals.get(literalKey) ?? []) {
          if (matchExtension(extension.name, exten, mode) === 0) continue;
          const found = accept(extension);
          if (found) return found;
        }
      }
    }
    for (const extension of this.candidatePatterns(index, exten)) {
      const result = matchExtension(extension.name, exten, mode);
      if (result === 0) continue;
      if (extension.callerIdPattern !== undefined && !matchCallerId(extension.callerIdPattern, callerId)) continue;
      // An extension ending in `!` that matches is a final "no" for matchmore.
      if (result === 2 && mode === 'matchmore') return null;
      const found = accept(extension);
      if (found) return found;
    }
    const now = options.now ?? new Date();
    for (const include of index.context.includes) {
      if (include.timeSpec && !include.timeSpec.matches(now)) continue;
      const found = this.search(include.context, exten, target, mode, options, visited);
      if (found === null) return null;
      if (found) return found;
    }
    return undefined;
  }
}
