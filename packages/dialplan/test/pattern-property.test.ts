import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchExtension } from '../src/index.js';
import { matchExtensionSlow } from '../src/compile/extension-pattern.js';

const patternToken = fc.constantFrom('X', 'N', 'Z', 'x', '1', '5', '9', '*', '#', 'a', '-', '[1-3]', '[59]', '[a-c]', '[]', '.', '!');
const pattern = fc.array(patternToken, { minLength: 0, maxLength: 8 }).map((tokens) => `_${tokens.join('')}`);
const data = fc.array(fc.constantFrom('0', '1', '2', '5', '9', '*', '#', 'a', 'b', '-'), { maxLength: 10 }).map((chars) => chars.join(''));

describe('pattern matching property', () => {
  it('the compiled match path agrees with the character-by-character matcher', () => {
    fc.assert(
      fc.property(pattern, data, (p, d) => {
        expect(matchExtension(p, d, 'match')).toBe(matchExtensionSlow(p, d, 'match'));
      }),
      { numRuns: 5000 },
    );
  });
});
