/**
 * `$[...]` expressions (Asterisk 20, main/ast_expr2.y): the bison grammar's precedence,
 * operand types (string, numeric string, number), long double math and the quirks of each
 * operator. A syntax error makes the whole expression `0`, as in Asterisk.
 */
import { settle, type MaybePromise, type Steps } from '../internal/steps.js';
import { lexExpression, type ExpressionOperator, type ExpressionToken } from './expression-lexer.js';
import { LongDouble } from './long-double.js';
import { compilePosixRegex } from './posix-regex.js';

/** An operand: text that is not a number, text that is, or a computed number. */
type Value =
  | { readonly type: 'string'; readonly text: string }
  | { readonly type: 'numeric'; readonly text: string }
  | { readonly type: 'number'; readonly value: LongDouble };

type Node =
  | { readonly kind: 'operand'; readonly value: Value }
  | { readonly kind: 'unary'; readonly operator: '-' | '!'; readonly operand: Node }
  | { readonly kind: 'binary'; readonly operator: ExpressionOperator; readonly left: Node; readonly right: Node }
  | { readonly kind: 'conditional'; readonly condition: Node; readonly then: Node; readonly otherwise: Node }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Node[] };

/** What an expression needs from its surroundings. */
export interface ExpressionHost {
  /** Calls a dialplan function (`FUNC(args)` inside `$[...]`); undefined when unknown. */
  callFunction(name: string, args: string): MaybePromise<string> | undefined;
  /** Non-fatal problems (non-numeric argument, division by zero, syntax error). */
  warn(message: string): void;
}

// Binding powers, low to high (ast_expr2.y %left/%right lines).
const PRECEDENCE: Partial<Record<ExpressionOperator, number>> = {
  '?': 2,
  '|': 3,
  '&': 4,
  '=': 5,
  '>': 5,
  '<': 5,
  '>=': 5,
  '<=': 5,
  '!=': 5,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  '%': 7,
  ':': 9,
  '=~': 9,
  '~~': 9,
};
const UNARY_PRECEDENCE = 8;

class ExpressionSyntaxError extends Error {}

class Parser {
  private position = 0;
  constructor(private readonly tokens: readonly ExpressionToken[]) {}

  parseAll(): Node | undefined {
    if (this.tokens.length === 0) return undefined;
    const node = this.parse(0);
    if (this.position < this.tokens.length) throw new ExpressionSyntaxError('syntax error');
    return node;
  }

  private peekOperator(): ExpressionOperator | undefined {
    const token = this.tokens[this.position];
    return token?.kind === 'operator' ? token.operator : undefined;
  }

  private expect(operator: ExpressionOperator): void {
    if (this.peekOperator() !== operator) throw new ExpressionSyntaxError(`syntax error, expecting ${operator}`);
    this.position++;
  }

  private parse(minimum: number): Node {
    let left = this.parsePrefix();
    for (;;) {
      const operator = this.peekOperator();
      const precedence = operator === undefined ? undefined : PRECEDENCE[operator];
      if (operator === undefined || precedence === undefined || precedence < minimum) return left;
      this.position++;
      if (operator === '?') {
        // `c ? x :: y`: x extends up to `::`; y binds like a left-associative operand.
        const then = this.parse(0);
        this.expect('::');
        const otherwise = this.parse(precedence + 1);
        left = { kind: 'conditional', condition: left, then, otherwise };
        continue;
      }
      const right = this.parse(precedence + 1);
      left = { kind: 'binary', operator, left, right };
    }
  }

  private parsePrefix(): Node {
    const token = this.tokens[this.position++];
    if (token === undefined) throw new ExpressionSyntaxError('syntax error, unexpected end of expression');
    if (token.kind === 'operand') {
      if (this.peekOperator() === '(') {
        this.position++;
        const args = [this.parse(1)];
        while (this.peekOperator() === ',') {
          this.position++;
          // `f(a,)`: an empty argument is allowed after a comma.
          const next = this.peekOperator();
          args.push(next === ',' || next === ')' ? { kind: 'operand', value: { type: 'string', text: '' } } : this.parse(1));
        }
        this.expect(')');
        return { kind: 'call', name: token.text, args };
      }
      return { kind: 'operand', value: token.numeric ? { type: 'numeric', text: token.text } : { type: 'string', text: token.text } };
    }
    switch (token.operator) {
      case '(': {
        const inner = this.parse(0);
        this.expect(')');
        return inner;
      }
      case '-':
      case '!':
        return { kind: 'unary', operator: token.operator, operand: this.parse(UNARY_PRECEDENCE) };
      default:
        throw new ExpressionSyntaxError(`syntax error, unexpected '${token.operator}'`);
    }
  }
}

/** make_str(): non-empty text of digits and dots is numeric (a leading `-` never is). */
function makeString(text: string): Value {
  return /^[0-9.]+$/.test(text) ? { type: 'numeric', text } : { type: 'string', text };
}

function number(value: LongDouble | number): Value {
  return { type: 'number', value: typeof value === 'number' ? LongDouble.fromNumber(value) : value };
}

/** to_number(): numbers and numeric strings convert; other strings do not. */
function toNumber(value: Value): LongDouble | undefined {
  if (value.type === 'number') return value.value;
  if (value.type === 'string') return undefined;
  return LongDouble.parse(value.text);
}

function toText(value: Value): string {
  return value.type === 'number' ? value.value.format() : value.text;
}

/** strip_quotes(): when the text starts and ends with `"`, every `"` is removed. */
function stripQuotes(text: string): string {
  return text.length >= 1 && text.startsWith('"') && text.endsWith('"') ? text.replaceAll('"', '') : text;
}

function isZeroOrNull(value: Value): boolean {
  if (value.type === 'number') return value.value.isZero();
  if (value.text === '') return true;
  const numeric = toNumber(value);
  return numeric !== undefined && numeric.isZero();
}

/** atoi(). */
function atoi(text: string): number {
  const match = /^\s*([+-]?\d+)/.exec(text);
  return match ? Number.parseInt(match[1] as string, 10) : 0;
}

function compareValues(left: Value, right: Value): number | undefined {
  if (left.type === 'string' || right.type === 'string') {
    const a = toText(left);
    const b = toText(right);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return (toNumber(left) as LongDouble).compare(toNumber(right) as LongDouble);
}

function compareOperator(operator: ExpressionOperator, left: Value, right: Value): Value {
  const cmp = compareValues(left, right);
  let result: boolean;
  if (cmp === undefined) {
    result = operator === '!=';
  } else {
    switch (operator) {
      case '=':
        result = cmp === 0;
        break;
      case '!=':
        result = cmp !== 0;
        break;
      case '<':
        result = cmp < 0;
        break;
      case '>':
        result = cmp > 0;
        break;
      case '<=':
        result = cmp <= 0;
        break;
      default:
        result = cmp >= 0;
    }
  }
  return number(result ? 1 : 0);
}

const INT_MAX = 2147483647;

function arithmetic(operator: '+' | '-' | '*' | '/' | '%', left: Value, right: Value, warn: (message: string) => void): Value {
  const a = toNumber(left);
  const b = toNumber(right);
  switch (operator) {
    case '+':
      if (a === undefined) {
        warn('non-numeric argument');
        return b === undefined ? number(0) : right;
      }
      return b === undefined ? left : number(a.add(b));
    case '-':
      if (a === undefined) {
        warn('non-numeric argument');
        return b === undefined ? number(0) : number(b.negate());
      }
      if (b === undefined) {
        warn('non-numeric argument');
        return left;
      }
      return number(a.subtract(b));
    case '*':
      if (a === undefined || b === undefined) {
        warn('non-numeric argument');
        return number(0);
      }
      return number(a.multiply(b));
    case '/':
      if (a === undefined) {
        warn('non-numeric argument');
        return number(0);
      }
      if (b === undefined) {
        warn('non-numeric argument');
        return number(INT_MAX);
      }
      if (b.isZero()) {
        warn('division by zero');
        return number(INT_MAX);
      }
      return number(a.divide(b));
    case '%':
      if (a === undefined || b === undefined) {
        warn('non-numeric argument');
        return number(0);
      }
      if (b.isZero()) {
        warn('div by zero');
        return right;
      }
      return number(a.remainder(b));
  }
}

/** `:` (anchored) and `=~` (unanchored): the first group, else the match length. */
function regexOperator(anchored: boolean, left: Value, right: Value, warn: (message: string) => void): Value {
  const subject = stripQuotes(toText(left));
  const source = stripQuotes(toText(right));
  let regex: RegExp;
  try {
    regex = compilePosixRegex(source);
  } catch (error) {
    warn(`regcomp() error : ${(error as Error).message}`);
    return makeString('');
  }
  const groups = new RegExp(`${regex.source}|`).exec('')?.length ?? 1;
  const match = regex.exec(subject);
  if (match && (!anchored || match.index === 0)) {
    if (groups > 1) {
      const group = match[1];
      return group === undefined ? number(match[0].length) : makeString(group);
    }
    return number(match[0].length);
  }
  return groups > 1 ? makeString('') : number(0);
}

function mathFunction(name: string, args: readonly Value[]): Value | undefined {
  const single: Record<string, (x: number) => number> = {
    COS: Math.cos,
    SIN: Math.sin,
    TAN: Math.tan,
    ACOS: Math.acos,
    ASIN: Math.asin,
    ATAN: Math.atan,
    EXP: Math.exp,
    EXP2: (x) => 2 ** x,
    EXP10: (x) => 10 ** x,
    LOG: Math.log,
    LOG2: Math.log2,
    LOG10: Math.log10,
  };
  const exact: Record<string, (x: LongDouble) => LongDouble> = {
    SQRT: squareRoot,
    FLOOR: (x) => roundWith(x, 'floor'),
    CEIL: (x) => roundWith(x, 'ceil'),
    TRUNC: (x) => roundWith(x, 'trunc'),
    ROUND: (x) => roundWith(x, 'round'),
    RINT: (x) => roundWith(x, 'rint'),
  };
  const double: Record<string, (x: LongDouble, y: LongDouble) => LongDouble> = {
    ATAN2: (y, x) => LongDouble.fromNumber(Math.atan2(y.toNumber(), x.toNumber())),
    POW: (x, y) => LongDouble.fromNumber(x.toNumber() ** y.toNumber()),
    REMAINDER: ieeeRemainder,
  };
  const asNumber = (value: Value | undefined): LongDouble => (value ? (toNumber(value) ?? LongDouble.ZERO) : LongDouble.ZERO);
  const one = single[name];
  const precise = exact[name];
  const two = double[name];
  if (one || precise) {
    if (args.length !== 1) return number(0);
    const x = asNumber(args[0]);
    return number(precise ? precise(x) : LongDouble.fromNumber((one as (x: number) => number)(x.toNumber())));
  }
  if (two) {
    if (args.length !== 2) return number(0);
    return number(two(asNumber(args[0]), asNumber(args[1])));
  }
  return undefined;
}

function roundWith(value: LongDouble, mode: 'floor' | 'ceil' | 'trunc' | 'round' | 'rint'): LongDouble {
  if (value.kind !== 'finite' || value.exponent >= 0) return value;
  const shift = BigInt(-value.exponent);
  const whole = value.mantissa >> shift;
  const fraction = value.mantissa - (whole << shift);
  if (fraction === 0n) return value;
  const half = 1n << (shift - 1n);
  let up: boolean;
  switch (mode) {
    case 'trunc':
      up = false;
      break;
    case 'floor':
      up = value.negative;
      break;
    case 'ceil':
      up = !value.negative;
      break;
    case 'round':
      up = fraction >= half;
      break;
    case 'rint':
      up = fraction > half || (fraction === half && (whole & 1n) === 1n);
      break;
  }
  return LongDouble.fromExact(value.negative, up ? whole + 1n : whole, 0);
}

function squareRoot(value: LongDouble): LongDouble {
  if (value.kind !== 'finite') return value.negative ? LongDouble.NAN : value;
  if (value.isZero()) return value;
  if (value.negative) return LongDouble.NAN;
  // sqrt(m * 2^e) with an even exponent and 140 extra bits for rounding.
  let exponent = value.exponent - 140;
  let scaled = value.mantissa << 140n;
  if (exponent % 2 !== 0) {
    scaled <<= 1n;
    exponent -= 1;
  }
  let root = BigInt(Math.floor(Math.sqrt(Number(scaled))));
  for (;;) {
    const next = (root + scaled / root) >> 1n;
    if (next >= root && next - root <= 1n) break;
    root = next;
  }
  while (root * root > scaled) root -= 1n;
  while ((root + 1n) * (root + 1n) <= scaled) root += 1n;
  return LongDouble.fromExact(false, root, exponent / 2, root * root !== scaled);
}

function ieeeRemainder(x: LongDouble, y: LongDouble): LongDouble {
  const quotient = roundWith(x.divide(y), 'rint');
  return x.subtract(quotient.multiply(y));
}

function* evaluateNode(node: Node, host: ExpressionHost): Steps<Value> {
  switch (node.kind) {
    case 'operand':
      return node.value;
    case 'unary': {
      const operand = yield* evaluateNode(node.operand, host);
      if (node.operator === '-') {
        const value = toNumber(operand);
        if (value === undefined) {
          host.warn('non-numeric argument');
          return number(0);
        }
        return number(value.negate());
      }
      // op_compl(): strings go through atoi().
      if (operand.type === 'number') return number(operand.value.isZero() ? 1 : 0);
      const text = operand.text;
      const truthy = text === '' || text === '0' ? 0 : atoi(text);
      return number(truthy === 0 ? 1 : 0);
    }
    case 'conditional': {
      const condition = yield* evaluateNode(node.condition, host);
      let truthy: boolean;
      if (condition.type === 'string') truthy = condition.text !== '' && condition.text !== '""' && condition.text !== '0';
      else truthy = !(toNumber(condition) ?? LongDouble.ZERO).isZero();
      return yield* evaluateNode(truthy ? node.then : node.otherwise, host);
    }
    case 'call': {
      const args: Value[] = [];
      for (const arg of node.args) args.push(yield* evaluateNode(arg, host));
      if (!/^[A-Z_0-9]+$/.test(node.name)) {
        host.warn(`Error! '${node.name}' is not possibly a function name!`);
        return number(0);
      }
      const math = mathFunction(node.name, args);
      if (math) return math;
      const pending = host.callFunction(node.name, args.map(toText).join(','));
      if (pending === undefined) {
        host.warn(`Error! '${node.name}' doesn't appear to be an available function!`);
        return number(0);
      }
      const result = yield* settle(pending);
      // is_really_num(): digits, '-', '.', blanks only (the empty string included) => a number.
      return /^[-0-9. \t]*$/.test(result) ? number(LongDouble.parse(result)) : makeString(result);
    }
    case 'binary': {
      const left = yield* evaluateNode(node.left, host);
      const right = yield* evaluateNode(node.right, host);
      const warn = (message: string): void => host.warn(message);
      switch (node.operator) {
        case '|':
          return isZeroOrNull(left) ? right : left;
        case '&':
          return isZeroOrNull(left) || isZeroOrNull(right) ? number(0) : left;
        case '=':
        case '!=':
        case '<':
        case '>':
        case '<=':
        case '>=':
          return compareOperator(node.operator, left, right);
        case '+':
        case '-':
        case '*':
        case '/':
        case '%':
          return arithmetic(node.operator, left, right, warn);
        case ':':
          return regexOperator(true, left, right, warn);
        case '=~':
          return regexOperator(false, left, right, warn);
        case '~~':
          return makeString(stripQuotes(toText(left)) + stripQuotes(toText(right)));
        default:
          return number(0);
      }
    }
  }
}

/**
 * Evaluates the text inside `$[...]` (already substituted). Returns the printed result:
 * numbers as `%.18Lg`, strings as they are, `0` for a syntax error, `` for nothing.
 */
export function* evaluateExpression(text: string, host: ExpressionHost): Steps<string> {
  let tree: Node | undefined;
  try {
    tree = new Parser(lexExpression(text)).parseAll();
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    host.warn(`ast_yyerror(): syntax error: ${error.message}; Input:\n${text}`);
    return '0';
  }
  if (tree === undefined) return '';
  return toText(yield* evaluateNode(tree, host));
}
