import type { GenericParam } from '../message/generic-param.js';

/** Index of the closing quote for a quoted string whose opening quote is at `open`, or -1. */
export function findClosingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') i++;
    else if (char === '"') return i;
  }
  return -1;
}

/**
 * Splits `text` at `separator` where it is not inside a quoted string or `<...>`.
 * An unterminated quote or bracket swallows the rest (lenient, like chan_sip).
 */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let angle = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"' && !angle) {
      const close = findClosingQuote(text, i);
      if (close < 0) break;
      i = close;
    } else if (char === '<') {
      angle = true;
    } else if (char === '>') {
      angle = false;
    } else if (char === separator && !angle) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Splits a comma-separated header value into trimmed, non-empty elements. */
export function splitCommaList(text: string): string[] {
  return splitTopLevel(text, ',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/**
 * Parses `a=b;c;d="x;y"` (no leading `;`) into ordered parameters. Names and values are
 * trimmed; quoted values keep their quotes.
 */
export function parseParamList(text: string, separator = ';'): GenericParam[] {
  const params: GenericParam[] = [];
  for (const raw of splitTopLevel(text, separator)) {
    const part = raw.trim();
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    if (eq < 0) params.push({ name: part, value: null });
    else params.push({ name: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() });
  }
  return params;
}
