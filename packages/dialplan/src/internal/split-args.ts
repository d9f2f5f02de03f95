/**
 * Argument splitting as Asterisk's applications see it (Asterisk 20, main/app.c
 * `__ast_app_separate_args()`): delimiters inside `()`, `[]` or `"..."` do not split; with
 * `removeChars` quotes are dropped and a backslash makes the next character literal.
 */
export interface SplitOptions {
  /** The separator (`,` for standard arguments; `^`, `:`, `=`, `&`, `?` for sub-arguments). */
  readonly delimiter?: string;
  /** AST_STANDARD_APP_ARGS (true) or AST_STANDARD_RAW_ARGS (false). */
  readonly removeChars?: boolean;
  /**
   * How many arguments the application declares: the last one receives the unparsed rest
   * (Asterisk stops splitting at `arraylen - 1`). Unlimited when omitted.
   */
  readonly max?: number;
}

/** Splits `data` into arguments following Asterisk's rules; an empty string gives `[]`. */
export function splitArgs(data: string, options: SplitOptions = {}): string[] {
  const delimiter = options.delimiter ?? ',';
  const removeChars = options.removeChars ?? true;
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const args: string[] = [];
  let index = 0;
  let paren = 0;
  let bracket = 0;
  let quote = false;
  let endedOnDelimiter = false;
  while (index < data.length && args.length < max - 1) {
    let current = '';
    endedOnDelimiter = false;
    for (; index < data.length; index++) {
      const char = data[index] as string;
      if (char === '(') {
        paren++;
      } else if (char === ')') {
        if (paren > 0) paren--;
      } else if (char === '[') {
        bracket++;
      } else if (char === ']') {
        if (bracket > 0) bracket--;
      } else if (char === '"' && delimiter !== '"') {
        quote = !quote;
        if (removeChars) continue;
      } else if (char === '\\') {
        if (removeChars) {
          // The next character is literal and the backslash disappears.
          index++;
          if (index < data.length) current += data[index] as string;
          continue;
        }
        current += char;
        index++;
        if (index < data.length) current += data[index] as string;
        continue;
      } else if (char === delimiter && paren === 0 && bracket === 0 && !quote) {
        index++;
        endedOnDelimiter = true;
        break;
      }
      current += char;
    }
    args.push(current);
  }
  // The rest (or an empty last argument after a trailing delimiter) is one more argument.
  if (index < data.length || endedOnDelimiter) args.push(data.slice(index));
  return args;
}
