/**
 * main/app.c `__ast_app_separate_args()` in raw mode (quotes and backslashes kept): splits
 * `text` at `delimiter` into at most `maxParts` parts, the last taking the rest; a delimiter
 * inside `( )`, `[ ]` or `" "` does not split, a backslash protects the next character, and
 * a trailing delimiter yields one more (empty) part.
 */
export function separateArgs(text: string, delimiter: string, maxParts: number): string[] {
  const parts: string[] = [];
  let paren = 0;
  let bracket = 0;
  let quoted = false;
  let start = 0;
  let index = 0;
  let endedOnDelimiter = false;
  while (index < text.length && parts.length < maxParts - 1) {
    let split = false;
    for (; index < text.length; index++) {
      const char = text[index];
      if (char === '(') paren++;
      else if (char === ')') paren = Math.max(0, paren - 1);
      else if (char === '[') bracket++;
      else if (char === ']') bracket = Math.max(0, bracket - 1);
      else if (char === '"' && delimiter !== '"') quoted = !quoted;
      else if (char === '\\') index++;
      else if (char === delimiter && paren === 0 && bracket === 0 && !quoted) {
        split = true;
        break;
      }
    }
    parts.push(text.slice(start, Math.min(index, text.length)));
    if (split) index++;
    start = index;
    endedOnDelimiter = split;
  }
  if (start < text.length || (endedOnDelimiter && start === text.length)) parts.push(text.slice(start));
  return parts;
}

/** main/utils.c `ast_strip_quoted()` with `"`: trims blanks and one pair of surrounding quotes. */
export function stripQuotes(text: string): string {
  const trimmed = text.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}
