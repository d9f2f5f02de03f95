/**
 * printf's `%-W.Ps` for the CLI layouts chan_sip prints: truncated to `precision`
 * characters, then padded on the right to `width`.
 */
export function column(text: string, width: number, precision?: number): string {
  const cut = precision === undefined || text.length <= precision ? text : text.slice(0, precision);
  return cut.length >= width ? cut : cut + ' '.repeat(width - cut.length);
}

/** printf's `%Wd` / `%W.Ws` right-aligned form. */
export function rightColumn(text: string, width: number): string {
  return text.padStart(width);
}

/** Asterisk's AST_CLI_YESNO(). */
export function yesNo(value: boolean): string {
  return value ? 'Yes' : 'No';
}

/** A compiled `like <pattern>` (POSIX ERE in Asterisk, a JS RegExp here); undefined when invalid. */
export function likePattern(pattern: string | undefined): RegExp | null | undefined {
  if (pattern === undefined) return null;
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}
