/**
 * Dial()'s option string (Asterisk 20, main/app.c `ast_app_parse_options64()`): letters,
 * some with an argument in parentheses, e.g. `tTg` or `S(30)L(60000:30000)U(sub^a^b)`.
 */

/** Option letter to its argument ('' when given without one). */
export type ParsedOptions = Map<string, string>;

/** Options Tandem's Dial implements. */
export const SUPPORTED_DIAL_OPTIONS = new Set([
  'A', 'a', 'b', 'B', 'c', 'D', 'F', 'f', 'g', 'i', 'L', 'm', 'M', 'o', 'Q', 'r', 'R', 'S', 's', 'u', 'U',
]);

/** Parses an option string; unbalanced parentheses take the rest of the string. */
export function parseOptions(text: string): ParsedOptions {
  const options: ParsedOptions = new Map();
  for (let i = 0; i < text.length; i++) {
    const letter = text[i] as string;
    if (text[i + 1] !== '(') {
      options.set(letter, options.get(letter) ?? '');
      continue;
    }
    let depth = 0;
    let end = i + 1;
    for (; end < text.length; end++) {
      if (text[end] === '(') depth++;
      else if (text[end] === ')' && --depth === 0) break;
    }
    options.set(letter, text.slice(i + 2, end));
    i = end;
  }
  return options;
}

/** `[[context^]exten^]priority` (Dial F(), GOSUB_RESULT GOTO:) to its parts. */
export function parseCaretLocation(text: string): { context?: string; exten?: string; priority: string } {
  const parts = text.split('^');
  if (parts.length >= 3) return { context: parts[0] as string, exten: parts[1] as string, priority: parts[2] as string };
  if (parts.length === 2) return { exten: parts[0] as string, priority: parts[1] as string };
  return { priority: parts[0] as string };
}
