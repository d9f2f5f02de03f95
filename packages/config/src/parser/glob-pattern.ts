import { readdirSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';

/**
 * `#include` patterns, expanded like glibc `glob(GLOB_NOMAGIC | GLOB_BRACE)` as Asterisk 20
 * calls it: `*`, `?`, `[set]` (`!` or `^` negates), `{a,b}`; a wildcard never matches a
 * leading dot; each brace alternative's matches come sorted; a pattern without wildcards
 * is returned as it is, whether the file exists or not.
 */

const MAGIC = /[*?[]/;

/** True when the text holds a wildcard or a brace alternative. */
export function hasGlobMagic(pattern: string): boolean {
  return MAGIC.test(pattern) || expandBraces(pattern).length > 1;
}

/** Absolute paths matching `pattern` (relative patterns start at `baseDir`). */
export function expandGlob(baseDir: string, pattern: string): string[] {
  const results: string[] = [];
  for (const alternative of expandBraces(pattern)) {
    const absolute = isAbsolute(alternative) ? alternative : join(baseDir, alternative);
    if (!MAGIC.test(alternative)) {
      results.push(absolute);
      continue;
    }
    const segments = absolute.split(sep);
    let candidates = [segments[0] === '' ? sep : (segments[0] ?? '')];
    for (const segment of segments.slice(1)) {
      if (segment === '') continue;
      candidates = MAGIC.test(segment)
        ? candidates.flatMap((dir) => matchingEntries(dir, segment))
        : candidates.map((dir) => join(dir, segment));
    }
    results.push(...candidates.sort());
  }
  return results;
}

function matchingEntries(dir: string, segment: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const matcher = segmentMatcher(segment);
  return names.filter((name) => matcher.test(name) && (!name.startsWith('.') || segment.startsWith('.'))).map((name) => join(dir, name));
}

/** A regular expression matching one path segment against a glob segment. */
export function segmentMatcher(segment: string): RegExp {
  let source = '';
  for (let index = 0; index < segment.length; index++) {
    const char = segment.charAt(index);
    if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '\\' && index + 1 < segment.length) {
      index++;
      source += escapeRegExp(segment.charAt(index));
    } else if (char === '[') {
      const close = segment.indexOf(']', index + 2);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = segment.slice(index + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
      index = close;
    } else {
      source += escapeRegExp(char);
    }
  }
  return new RegExp(`^${source}$`, 'u');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** GLOB_BRACE: `a{b,c}d` → `abd`, `acd` (nested braces expand too). */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  const commas: number[] = [];
  for (let index = open; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '{') depth++;
    else if (char === '}') {
      depth--;
      if (depth === 0) {
        if (commas.length === 0) {
          return expandBraces(pattern.slice(index + 1)).map((rest) => pattern.slice(0, index + 1) + rest);
        }
        const bounds = [open, ...commas, index];
        const prefix = pattern.slice(0, open);
        const suffix = pattern.slice(index + 1);
        return bounds
          .slice(0, -1)
          .flatMap((start, i) => expandBraces(prefix + pattern.slice(start + 1, bounds[i + 1]) + suffix));
      }
    } else if (char === ',' && depth === 1) commas.push(index);
  }
  return [pattern];
}
