/** Asterisk's "blanks" are every byte below 33 (include/asterisk/strings.h `ast_skip_blanks()`). */
function isBlank(code: number): boolean {
  return code < 33;
}

/** Index of the first non-blank character (the text's length when it is all blank). */
export function leadingBlankCount(text: string): number {
  let start = 0;
  while (start < text.length && isBlank(text.charCodeAt(start))) start++;
  return start;
}

/** `ast_trim_blanks()`: the text without trailing blanks. */
export function trimTrailingBlanks(text: string): string {
  let end = text.length;
  while (end > 0 && isBlank(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** `ast_strip()`: the text without leading and trailing blanks. */
export function stripBlanks(text: string): string {
  return trimTrailingBlanks(text.slice(leadingBlankCount(text)));
}
