import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSipConf, parseConf, printConf } from '../src/index.js';
import type { PrintableCategory } from '../src/index.js';

/** Text made of the dialect's special pieces, so generated input reaches every branch. */
const confPiece = fc.oneof(
  fc.constantFrom('[', ']', '(', ')', '!', '+', '=', '=>', '+=', ';', '\\;', ';--', '--;', '#include', '#tryinclude', '#exec', '\\', ' ', '\t', '\n', '\r\n', '\uFEFF', '\0'),
  fc.string({ maxLength: 8 }),
  fc.constantFrom('[general]', '[tpl](!)', '[a](tpl)', '[a](+)', 'type=friend', 'host=dynamic', 'register => u:p@h'),
);
const confText = fc.array(confPiece, { maxLength: 60 }).map((pieces) => pieces.join(''));

/** A character that may appear inside a name or value (no line breaks, printable or not). */
const innerChar = fc.oneof(fc.constantFrom(';', '=', '>', '\\', '[', ']', '(', ')', '#', '!', '+', '-', ' ', '\t', '"'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }));
const trimmedText = (maxLength: number) =>
  fc
    .array(innerChar, { minLength: 1, maxLength })
    .map((chars) => chars.join('').replace(/[\r\n\0]/g, 'x'))
    .filter((text) => text.length > 0 && text.charCodeAt(0) >= 33 && text.charCodeAt(text.length - 1) >= 33);

const variable = fc.record({
  name: trimmedText(10).filter((name) => !name.includes('=')),
  value: fc.oneof(fc.constant(''), trimmedText(20)),
  isObject: fc.boolean(),
});
const category: fc.Arbitrary<PrintableCategory> = fc.record({
  name: fc.oneof(fc.constant(''), trimmedText(12)).map((name) => name.replace(/\]/g, '_')),
  isTemplate: fc.boolean(),
  variables: fc.array(variable, { maxLength: 6 }),
});

describe('dialect properties', () => {
  it('never throws on arbitrary text and returns located diagnostics', () => {
    fc.assert(
      fc.property(fc.oneof(confText, fc.string(), fc.string({ unit: 'binary' })), (text) => {
        const doc = parseConf(text, { file: 'fuzz.conf' });
        for (const diagnostic of doc.diagnostics) {
          expect(diagnostic.file).toBe('fuzz.conf');
          expect(diagnostic.line).toBeGreaterThanOrEqual(0);
          expect(['error', 'warning']).toContain(diagnostic.severity);
        }
        // The typed models never throw either.
        buildSipConf(doc);
      }),
      { numRuns: 600 },
    );
  });

  it('parses printed categories back to the same model', () => {
    fc.assert(
      fc.property(fc.array(category, { maxLength: 6 }), (categories) => {
        const doc = parseConf(printConf(categories), { file: 'printed.conf' });
        expect(doc.diagnostics).toEqual([]);
        expect(doc.categories.map(({ name, isTemplate, variables }) => ({ name, isTemplate, variables: variables.map(({ name: n, value, isObject }) => ({ name: n, value, isObject })) }))).toEqual(
          categories,
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('printConf', () => {
  it('escapes what the dialect treats specially', () => {
    const categories: PrintableCategory[] = [
      {
        name: 'a;b',
        isTemplate: true,
        variables: [
          { name: '[x', value: '>y', isObject: false },
          { name: '#z', value: 'a\\;b ;-- c --;', isObject: true },
          { name: 'w+', value: 'ends with \\', isObject: false },
        ],
      },
    ];
    const text = printConf(categories);
    expect(text).toBe('[a\\;b](!)\n\\[x = >y\n\\#z => a\\\\;b \\;-- c --\\;\nw+ = ends with \\\n');
    const doc = parseConf(text, { file: 'x.conf' });
    expect(doc.diagnostics).toEqual([]);
    expect(doc.categories[0]?.variables.map((v) => [v.name, v.value, v.isObject])).toEqual([
      ['[x', '>y', false],
      ['#z', 'a\\;b ;-- c --;', true],
      ['w+', 'ends with \\', false],
    ]);
  });

  it('refuses what the dialect cannot express', () => {
    expect(() => printConf([{ name: 'a]b', isTemplate: false, variables: [] }])).toThrow(RangeError);
    expect(() => printConf([{ name: 'a', isTemplate: false, variables: [{ name: 'k', value: 'two\nlines', isObject: false }] }])).toThrow(RangeError);
  });
});
