/**
 * ast_get_encoded_char() (Asterisk 20, main/app.c): `\n`, `\r`, `\t`, `\xHH`, `\0ooo`, `\c`
 * as one character; returns undefined for an empty input.
 */
export function decodeEncodedChar(text: string): { char: string; consumed: number } | undefined {
  const first = text[0];
  if (first === undefined) return undefined;
  if (first !== '\\') return { char: first, consumed: 1 };
  const next = text[1];
  switch (next) {
    case undefined:
      return { char: '\\', consumed: 1 };
    case 'n':
      return { char: '\n', consumed: 2 };
    case 'r':
      return { char: '\r', consumed: 2 };
    case 't':
      return { char: '\t', consumed: 2 };
    case 'a':
      return { char: '\x07', consumed: 2 };
    case 'x': {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(text.slice(2));
      return hex ? { char: String.fromCharCode(Number.parseInt(hex[0], 16)), consumed: 2 + hex[0].length } : { char: 'x', consumed: 2 };
    }
    case '0': {
      const octal = /^[0-7]{1,3}/.exec(text.slice(2));
      return octal ? { char: String.fromCharCode(Number.parseInt(octal[0], 8)), consumed: 2 + octal[0].length } : { char: '\0', consumed: 2 };
    }
    default:
      return { char: next, consumed: 2 };
  }
}

/** Decodes the first character of a delimiter argument, or returns `fallback`. */
export function decodeDelimiter(text: string | undefined, fallback: string): string {
  return (text === undefined ? undefined : decodeEncodedChar(text)?.char) ?? fallback;
}
