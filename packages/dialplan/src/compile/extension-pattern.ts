/**
 * Extension names and patterns (Asterisk 20, main/pbx.c `_extension_match_core()`,
 * `ext_cmp()`): `_` starts a pattern; `X` `Z` `N` `[...]` `.` `!`; `-` is ignored everywhere.
 */

/** How a pattern relates to a (possibly partial) dialled string. */
export type MatchMode = 'match' | 'canmatch' | 'matchmore';

/** 0 = no match, 1 = match, 2 = early match (`!`). */
export type MatchResult = 0 | 1 | 2;

function withoutFluff(text: string): string {
  return text.includes('-') ? text.replaceAll('-', '') : text;
}

/** Compares two literal extension names in byte order, ignoring `-` (`ext_cmp_exten()`). */
function compareLiteral(left: string, right: string): number {
  const a = withoutFluff(left);
  const b = withoutFluff(right);
  return a < b ? -1 : a > b ? 1 : 0;
}

const SET_DIGITS = {
  N: { score: 0x0800 | 0x32, members: '23456789' },
  X: { score: 0x0a00 | 0x30, members: '0123456789' },
  Z: { score: 0x0900 | 0x31, members: '123456789' },
} as const;

interface PatternPosition {
  readonly score: number;
  /** The member characters, sorted, for tie breaks between sets of the same size. */
  readonly members: string;
}

/** One position of a pattern for sorting (`ext_cmp_pattern_pos()`); advances `state.index`. */
function nextPatternPosition(pattern: string, state: { index: number; ended: boolean }): PatternPosition {
  for (;;) {
    let char: string | undefined;
    do {
      char = pattern[state.index++];
    } while (char === '-');
    if (char === undefined) {
      state.ended = true;
      return { score: 0x30000, members: '' };
    }
    switch (char) {
      case 'n':
      case 'N':
        return SET_DIGITS.N;
      case 'x':
      case 'X':
        return SET_DIGITS.X;
      case 'z':
      case 'Z':
        return SET_DIGITS.Z;
      case '.':
        return { score: 0x18000, members: '' };
      case '!':
        return { score: 0x28000, members: '' };
      case '[':
        break;
      default:
        return { score: 0x0100 | (char.codePointAt(0) ?? 0), members: char };
    }
    const end = pattern.indexOf(']', state.index);
    if (end < 0) return { score: 0x40000, members: '' };
    const members = new Set<number>();
    for (let i = state.index; i < end; i++) {
      const first = pattern.charCodeAt(i);
      let last = first;
      if (i + 2 < end && pattern[i + 1] === '-') {
        last = pattern.charCodeAt(i + 2);
        i += 2;
      }
      for (let c = first; c <= last; c++) members.add(c);
    }
    state.index = end + 1;
    if (members.size === 0) continue; // an empty set is ignored
    const sorted = [...members].sort((a, b) => a - b);
    return { score: (members.size << 8) | (sorted[0] ?? 0), members: String.fromCharCode(...sorted) };
  }
}

/** Compares two patterns (without `_`): the more specific sorts first (`ext_cmp_pattern()`). */
function comparePatterns(left: string, right: string): number {
  const l = { index: 0, ended: false };
  const r = { index: 0, ended: false };
  for (;;) {
    const a = nextPatternPosition(left, l);
    const b = nextPatternPosition(right, r);
    let cmp = a.score - b.score;
    if (cmp === 0 && a.members !== b.members) {
      // Same size, different members: the set holding the lower characters sorts first.
      cmp = compareMemberSets(a.members, b.members);
    }
    if (cmp !== 0) return cmp;
    if (l.ended) return 0;
  }
}

function compareMemberSets(a: string, b: string): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = a.charCodeAt(i) - b.charCodeAt(i);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

/**
 * Asterisk's sort order of extensions in a context: literal names (byte order, `-` ignored)
 * before patterns, then patterns from most to least specific.
 */
export function compareExtensions(left: string, right: string): number {
  const leftIsPattern = left.startsWith('_');
  const rightIsPattern = right.startsWith('_');
  if (!leftIsPattern) return rightIsPattern ? -1 : compareLiteral(left, right);
  if (!rightIsPattern) return 1;
  return comparePatterns(left.slice(1), right.slice(1));
}

interface CompiledPattern {
  readonly regex: RegExp;
  /** The pattern reaches `!`: a match is an early match (2). */
  readonly early: boolean;
}

const compiledPatterns = new Map<string, CompiledPattern | null>();

function escapeForClass(char: string): string {
  return /[\\\]\[^-]/.test(char) ? `\\${char}` : char;
}

/**
 * The `match` mode of a pattern as an anchored RegExp over the data without `-` (same
 * result as the character loop, much faster over thousands of patterns). null when the
 * pattern has an unterminated set (it never matches).
 */
function compileForMatch(pattern: string): CompiledPattern | null {
  let source = '^';
  let early = false;
  let open = false;
  for (let p = 1; p < pattern.length; p++) {
    const token = pattern[p] as string;
    if (token === '-') continue;
    if (token === '/') break;
    if (token === '.') {
      source += '[^]+';
      open = true;
      break;
    }
    if (token === '!') {
      source += '[^]*';
      early = true;
      open = true;
      break;
    }
    if (token === '[') {
      const end = pattern.indexOf(']', p + 1);
      if (end < 0) return null;
      let members = '';
      for (let i = p + 1; i < end; i++) {
        if (i + 2 < end && pattern[i + 1] === '-') {
          const first = pattern.charCodeAt(i);
          const last = pattern.charCodeAt(i + 2);
          for (let c = first; c <= last; c++) members += escapeForClass(String.fromCharCode(c));
          i += 2;
        } else {
          members += escapeForClass(pattern[i] as string);
        }
      }
      p = end;
      // An empty set is skipped only while data remains (the loop stops when data ends).
      source += members === '' ? '(?=[^])' : `[${members}]`;
      continue;
    }
    switch (token) {
      case 'n':
      case 'N':
        source += '[2-9]';
        break;
      case 'x':
      case 'X':
        source += '[0-9]';
        break;
      case 'z':
      case 'Z':
        source += '[1-9]';
        break;
      default:
        source += token.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    }
  }
  return { regex: new RegExp(open ? source : `${source}$`), early };
}

/**
 * Whether `data` matches `pattern` in `mode` (`_extension_match_core()`): `match` needs a full
 * match, `matchmore` needs more digits to be possible, `canmatch` accepts either.
 */
export function matchExtension(pattern: string, data: string, mode: MatchMode): MatchResult {
  if (mode === 'match' && pattern.startsWith('_') && !data.startsWith('_')) {
    let compiled = compiledPatterns.get(pattern);
    if (compiled === undefined) {
      compiled = compileForMatch(pattern);
      compiledPatterns.set(pattern, compiled);
    }
    if (compiled === null) return 0;
    const subject = data.includes('-') ? data.replaceAll('-', '') : data;
    if (!compiled.regex.test(subject)) return 0;
    return compiled.early ? 2 : 1;
  }
  return matchExtensionSlow(pattern, data, mode);
}

/** The character-by-character matcher (all modes); `matchExtension` uses it except for plain `match` lookups. */
export function matchExtensionSlow(pattern: string, data: string, mode: MatchMode): MatchResult {
  if (!pattern.startsWith('_')) {
    const p = withoutFluff(pattern);
    const d = withoutFluff(data);
    if (p.length < d.length) return 0;
    if (mode === 'match') return p === d ? 1 : 0;
    if (d.length === 0 || p.startsWith(d)) return mode === 'matchmore' ? (p.length > d.length ? 1 : 0) : 1;
    return 0;
  }
  if (mode === 'match' && data.startsWith('_') && comparePatterns(pattern.slice(1), data.slice(1)) === 0) return 1;
  let p = 1;
  let d = 0;
  for (;;) {
    while (data[d] === '-') d++;
    while (pattern[p] === '-') p++;
    const char = data[d];
    const token = pattern[p];
    if (char === undefined || token === undefined || token === '/') break;
    switch (token) {
      case '[': {
        const end = pattern.indexOf(']', p + 1);
        if (end < 0) return 0;
        if (end === p + 1) {
          p = end + 1; // an empty set is ignored
          continue;
        }
        let found = false;
        for (let i = p + 1; i < end; i++) {
          if (i + 2 < end && pattern[i + 1] === '-') {
            if (char >= (pattern[i] as string) && char <= (pattern[i + 2] as string)) {
              found = true;
              break;
            }
            i += 2;
          } else if (char === pattern[i]) {
            found = true;
            break;
          }
        }
        if (!found) return 0;
        p = end;
        break;
      }
      case 'n':
      case 'N':
        if (char < '2' || char > '9') return 0;
        break;
      case 'x':
      case 'X':
        if (char < '0' || char > '9') return 0;
        break;
      case 'z':
      case 'Z':
        if (char < '1' || char > '9') return 0;
        break;
      case '.':
        return 1;
      case '!':
        return 2;
      default:
        if (char !== token) return 0;
    }
    d++;
    p++;
  }
  if (d < data.length) return 0;
  const next = pattern[p];
  if (next === undefined || next === '/') return mode === 'matchmore' ? 0 : 1;
  if (next === '!') return 2;
  return mode === 'match' ? 0 : 1;
}

/** CID matching (`matchcid()`): an empty caller number matches only an empty CID pattern. */
export function matchCallerId(cidPattern: string, callerNumber: string): boolean {
  if (callerNumber === '') return cidPattern === '';
  return matchExtension(cidPattern, callerNumber, 'match') !== 0;
}

/** Whether an extension name is a pattern. */
export function isPattern(name: string): boolean {
  return name.startsWith('_');
}
