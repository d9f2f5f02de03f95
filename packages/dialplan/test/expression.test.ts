import { describe, expect, it } from 'vitest';
import { evaluateExpression } from '../src/expression/evaluate-expression.js';
import { LongDouble } from '../src/expression/long-double.js';
import { runStepsSync } from '../src/internal/steps.js';

function evaluate(text: string, functions: Record<string, (args: string) => string> = {}): string {
  const warnings: string[] = [];
  return runStepsSync(
    evaluateExpression(text, {
      callFunction: (name, args) => functions[name]?.(args),
      warn: (message) => warnings.push(message),
    }),
    () => '',
  );
}

describe('long double arithmetic (printf %.18Lg)', () => {
  it('prints divisions like Asterisk', () => {
    expect(evaluate('10 / 3')).toBe('3.33333333333333333');
    expect(evaluate('10 / 4')).toBe('2.5');
    expect(evaluate('7/2')).toBe('3.5');
    expect(evaluate('2 / 3')).toBe('0.666666666666666667');
    expect(evaluate('1 / 7')).toBe('0.142857142857142857');
  });
  it('formats large and small numbers with %g rules', () => {
    expect(LongDouble.parse('1e20').format()).toBe('1e+20');
    expect(LongDouble.parse('123456789012345678').format()).toBe('123456789012345678');
    expect(LongDouble.parse('0.0001').format()).toBe('0.0001');
    expect(LongDouble.parse('0.00001').format()).toBe('1e-05');
    expect(evaluate('0.1 + 0.2')).toBe('0.3');
    expect(evaluate('100000 * 100000 * 100000 * 100000')).toBe('1e+20');
  });
  it('keeps numeric operands as written when nothing is computed', () => {
    expect(evaluate('05')).toBe('05');
    expect(evaluate('05 + 0')).toBe('5');
  });
});

describe('operators', () => {
  it('follows the precedence table', () => {
    expect(evaluate('1 + 2 * 3')).toBe('7');
    expect(evaluate('(1 + 2) * 3')).toBe('9');
    expect(evaluate('2 - 3 - 4')).toBe('-5');
    expect(evaluate('- 2 * 3')).toBe('-6');
    expect(evaluate('1 = 1 & 2 = 2')).toBe('1');
    expect(evaluate('10 % 3')).toBe('1');
    expect(evaluate('-7 % 3')).toBe('-1');
  });
  it('compares numerically when both sides are numbers, else as strings', () => {
    expect(evaluate('10 > 9')).toBe('1');
    expect(evaluate('10 > 9a')).toBe('0');
    expect(evaluate('abc = abc')).toBe('1');
    expect(evaluate('abc < abd')).toBe('1');
    expect(evaluate('1.0 = 1')).toBe('1');
    expect(evaluate('"a" = a')).toBe('0');
    expect(evaluate('"a" = "a"')).toBe('1');
  });
  it('returns operands from | and &', () => {
    expect(evaluate('foo | bar')).toBe('foo');
    expect(evaluate('0 | bar')).toBe('bar');
    expect(evaluate(' | bar')).toBe('0');
    expect(evaluate('foo & bar')).toBe('foo');
    expect(evaluate('foo & 0')).toBe('0');
  });
  it('negates with ! using atoi on strings', () => {
    expect(evaluate('!0')).toBe('1');
    expect(evaluate('!5')).toBe('0');
    expect(evaluate('!abc')).toBe('1');
  });
  it('evaluates the conditional operator', () => {
    expect(evaluate('1 ? yes :: no')).toBe('yes');
    expect(evaluate('0 ? yes :: no')).toBe('no');
    expect(evaluate('"" ? yes :: no')).toBe('no');
    expect(evaluate('x ? yes :: no')).toBe('yes');
  });
  it('matches regular expressions: ":" anchored, "=~" not', () => {
    expect(evaluate('abcde : abc')).toBe('3');
    expect(evaluate('abcde : bcd')).toBe('0');
    expect(evaluate('abcde =~ bcd')).toBe('3');
    expect(evaluate('"1234" : "12(3)4"')).toBe('3');
    expect(evaluate('1234 : 12(3)4')).toBe('0');
    expect(evaluate('"abcde" =~ "c(d)"')).toBe('d');
    expect(evaluate('"abc" : "x(y)"')).toBe('');
    expect(evaluate('"5551234" : "[[:digit:]]+"')).toBe('7');
  });
  it('concatenates with ~~', () => {
    expect(evaluate('"ab" ~~ cd')).toBe('abcd');
  });
  it('treats non-numeric math operands like Asterisk', () => {
    expect(evaluate('abc + 1')).toBe('1');
    expect(evaluate('1 + abc')).toBe('1');
    expect(evaluate('abc * 2')).toBe('0');
    expect(evaluate('5 / 0')).toBe('2147483647');
  });
  it('gives 0 for a syntax error and empty for nothing', () => {
    expect(evaluate(' = 12223334444')).toBe('0');
    expect(evaluate('1 2')).toBe('0');
    expect(evaluate('')).toBe('');
  });
  it('runs math functions and dialplan functions', () => {
    expect(evaluate('SQRT(16)')).toBe('4');
    expect(evaluate('SQRT(2)')).toBe('1.41421356237309505');
    expect(evaluate('FLOOR(2.7) + CEIL(2.2)')).toBe('5');
    expect(evaluate('POW(2,10)')).toBe('1024');
    expect(evaluate('LEN(hello) + 1', { LEN: (args) => String(args.length) })).toBe('6');
    expect(evaluate('NOSUCH(1)')).toBe('0');
  });
});
