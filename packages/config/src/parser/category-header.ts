/**
 * A `[name](options)` line split as Asterisk 20 main/config.c `process_text_line()` does:
 * the name is everything between `[` and the first `]` (not trimmed); options are read only
 * when `(` follows `]` immediately and are split at commas (not trimmed either).
 */
export type CategoryHeader =
  | {
      readonly ok: true;
      readonly name: string;
      readonly options: readonly string[];
      /** Text after the header that Asterisk ignores, such as `(!)` after a space. */
      readonly ignoredTail: string;
    }
  | { readonly ok: false; readonly message: string };

/** Splits a trimmed line that starts with `[`. */
export function parseCategoryHeader(line: string): CategoryHeader {
  const close = line.indexOf(']');
  if (close < 0) return { ok: false, message: "parse error: no closing ']'" };
  const name = line.slice(1, close);
  if (line[close + 1] !== '(') {
    return { ok: true, name, options: [], ignoredTail: line.slice(close + 1).trim() };
  }
  const optionsEnd = line.indexOf(')', close + 2);
  if (optionsEnd < 0) return { ok: false, message: "parse error: no closing ')'" };
  return {
    ok: true,
    name,
    options: line.slice(close + 2, optionsEnd).split(','),
    ignoredTail: line.slice(optionsEnd + 1).trim(),
  };
}
