/**
 * The tokens of `$[...]` (Asterisk 20, main/ast_expr2.fl). Characters that no rule matches
 * are skipped, as flex's default action does.
 */

/** Operator tokens, spelled as written. */
export type ExpressionOperator =
  | '|'
  | '&'
  | '='
  | '=~'
  | '~~'
  | '>'
  | '<'
  | '>='
  | '<='
  | '!='
  | '+'
  | ','
  | '-'
  | '*'
  | '/'
  | '%'
  | '?'
  | '!'
  | ':'
  | '::'
  | '('
  | ')';

/** A lexed token: an operator or an operand (`numeric` when it looked like a number). */
export type ExpressionToken =
  | { readonly kind: 'operator'; readonly operator: ExpressionOperator }
  | { readonly kind: 'operand'; readonly text: string; readonly numeric: boolean };

const TWO_CHAR: ReadonlyMap<string, ExpressionOperator> = new Map([
  ['||', '|'],
  ['&&', '&'],
  ['==', '='],
  ['=~', '=~'],
  ['~~', '~~'],
  ['>=', '>='],
  ['<=', '<='],
  ['!=', '!='],
  ['::', '::'],
]);
const ONE_CHAR = new Set('|&=><+,-*/%?!:()');
const TOKEN_CHAR = /[a-zA-Z0-9.';\\_^#@]/;
const TRAIL_STOP = new Set('-\t\r \n$():?%/+=*<>!|&');

function isTokenChar(char: string): boolean {
  return TOKEN_CHAR.test(char) || char.charCodeAt(0) >= 0x80;
}

/** Length of the general TOKEN rule's match at `start` (`$x` pairs count, `${` does not). */
function generalTokenLength(text: string, start: number): number {
  let index = start;
  for (;;) {
    const char = text[index];
    if (char === undefined) break;
    if (char === '$') {
      const next = text[index + 1];
      if (next === undefined || next === '{') break;
      index += 2;
    } else if (isTokenChar(char)) {
      index += 1;
    } else {
      break;
    }
  }
  return index - start;
}

/** Splits an expression into tokens. */
export function lexExpression(text: string): ExpressionToken[] {
  const tokens: ExpressionToken[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n') {
      index++;
      continue;
    }
    const pair = TWO_CHAR.get(text.slice(index, index + 2));
    if (pair) {
      tokens.push({ kind: 'operator', operator: pair });
      index += 2;
      continue;
    }
    if (ONE_CHAR.has(char)) {
      tokens.push({ kind: 'operator', operator: char as ExpressionOperator });
      index++;
      continue;
    }
    if (char === '"') {
      const close = text.indexOf('"', index + 1);
      if (close >= 0) {
        // Quotes stay part of the value; only `:`, `=~` and `~~` strip them.
        tokens.push({ kind: 'operand', text: text.slice(index, close + 1), numeric: false });
        index = close + 1;
        continue;
      }
      index++;
      continue;
    }
    const general = generalTokenLength(text, index);
    if (text.startsWith('${', index + general)) {
      // A variable reference that survived substitution: up to its closing brace plus trail.
      let end = index + general + 2;
      let depth = 0;
      for (; end < text.length; end++) {
        if (text[end] === '{') depth++;
        else if (text[end] === '}' && depth-- === 0) break;
      }
      end++;
      while (end < text.length && !TRAIL_STOP.has(text[end] as string)) end++;
      tokens.push({ kind: 'operand', text: text.slice(index, end), numeric: false });
      index = end;
      continue;
    }
    const numeric = /^[0-9]+(?:\.[0-9]+)?/.exec(text.slice(index, index + general));
    const numericLength = numeric ? numeric[0].length : 0;
    if (numericLength > 0 && numericLength >= general) {
      tokens.push({ kind: 'operand', text: text.slice(index, index + numericLength), numeric: true });
      index += numericLength;
      continue;
    }
    if (general > 0) {
      tokens.push({ kind: 'operand', text: text.slice(index, index + general), numeric: false });
      index += general;
      continue;
    }
    index++; // no rule matches: skipped
  }
  return tokens;
}
