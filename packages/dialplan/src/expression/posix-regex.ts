/**
 * POSIX extended regular expressions (regcomp(REG_EXTENDED)) as JavaScript RegExps. The
 * syntax is close; bracket classes like `[[:digit:]]` and a few escapes need rewriting.
 * Difference kept: JavaScript picks the leftmost-first alternative, POSIX the longest.
 */

const CLASSES: Readonly<Record<string, string>> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '\\x21-\\x7e',
  lower: 'a-z',
  print: '\\x20-\\x7e',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\f\\v',
  upper: 'A-Z',
  xdigit: '0-9A-Fa-f',
};

/** Compiles a POSIX ERE; throws a SyntaxError for a pattern that does not compile. */
export function compilePosixRegex(pattern: string, flags = ''): RegExp {
  let out = '';
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index] as string;
    if (char === '\\') {
      // In an ERE a backslash makes the next character literal.
      const next = pattern[index + 1];
      if (next === undefined) throw new SyntaxError('trailing backslash');
      out += /[a-zA-Z0-9]/.test(next) ? next : `\\${next}`;
      index += 2;
      continue;
    }
    if (char === '[') {
      let end = index + 1;
      if (pattern[end] === '^') end++;
      if (pattern[end] === ']') end++;
      let body = '';
      for (let i = index + 1; i < end; i++) body += pattern[i] === ']' ? '\\]' : pattern[i];
      while (end < pattern.length && pattern[end] !== ']') {
        const classMatch = /^\[:([a-z]+):\]/.exec(pattern.slice(end));
        if (classMatch) {
          const expansion = CLASSES[classMatch[1] as string];
          if (expansion === undefined) throw new SyntaxError(`unknown class ${classMatch[1]}`);
          body += expansion;
          end += classMatch[0].length;
          continue;
        }
        const member = pattern[end] as string;
        body += member === '\\' || member === '[' ? `\\${member}` : member;
        end++;
      }
      if (end >= pattern.length) throw new SyntaxError('unmatched [');
      out += `[${body}]`;
      index = end + 1;
      continue;
    }
    out += char;
    index++;
  }
  return new RegExp(out, flags);
}
