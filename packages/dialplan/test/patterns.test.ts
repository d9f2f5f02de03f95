import { describe, expect, it } from 'vitest';
import { compareExtensions, matchExtension } from '../src/index.js';
import { compile } from './support/dialplan-fixture.js';

describe('pattern matching (_extension_match_core)', () => {
  it('matches X, Z, N, sets and ranges case-insensitively for the letters', () => {
    expect(matchExtension('_NXX', '234', 'match')).toBe(1);
    expect(matchExtension('_NXX', '134', 'match')).toBe(0);
    expect(matchExtension('_ZXX', '034', 'match')).toBe(0);
    expect(matchExtension('_zxx', '934', 'match')).toBe(1);
    expect(matchExtension('_n', '1', 'match')).toBe(0);
    expect(matchExtension('_[1-3]5', '25', 'match')).toBe(1);
    expect(matchExtension('_[13]5', '25', 'match')).toBe(0);
    expect(matchExtension('_[a-c]', 'b', 'match')).toBe(1);
  });
  it('treats literal characters case-sensitively', () => {
    expect(matchExtension('_a.', 'abc', 'match')).toBe(1);
    expect(matchExtension('_a.', 'Abc', 'match')).toBe(0);
    expect(matchExtension('abc', 'ABC', 'match')).toBe(0);
  });
  it('makes . need at least one more character and ! zero or more', () => {
    expect(matchExtension('_9.', '9', 'match')).toBe(0);
    expect(matchExtension('_9.', '91', 'match')).toBe(1);
    expect(matchExtension('_9!', '9', 'match')).toBe(2);
    expect(matchExtension('_9!', '912', 'match')).toBe(2);
  });
  it('ignores - in patterns and literal names', () => {
    expect(matchExtension('_NXX-XXXX', '5551234', 'match')).toBe(1);
    expect(matchExtension('555-1234', '5551234', 'match')).toBe(1);
    expect(matchExtension('5551234', '555-1234', 'match')).toBe(1);
  });
  it('answers canmatch and matchmore for overlap dialling', () => {
    expect(matchExtension('_X.', '9', 'matchmore')).toBe(1);
    expect(matchExtension('_X.', '9', 'canmatch')).toBe(1);
    expect(matchExtension('_XX', '12', 'matchmore')).toBe(0);
    expect(matchExtension('_XX', '12', 'canmatch')).toBe(1);
    expect(matchExtension('1234', '12', 'matchmore')).toBe(1);
    expect(matchExtension('1234', '1234', 'matchmore')).toBe(0);
    expect(matchExtension('1234', '13', 'canmatch')).toBe(0);
  });
});

describe('sort order (ext_cmp)', () => {
  const sorted = (names: string[]): string[] => [...names].sort(compareExtensions);
  it('puts literals before patterns, in byte order', () => {
    expect(sorted(['_X.', '200', '100', '_1XX', '1-00'])).toEqual(['100', '1-00', '200', '_1XX', '_X.']);
  });
  it('orders pattern positions: character < smaller set < larger set < . < !', () => {
    expect(sorted(['_!', '_.', '_X', '_N', '_Z', '_[1-2]', '_1'])).toEqual(['_1', '_[1-2]', '_N', '_Z', '_X', '_.', '_!']);
  });
  it('breaks ties between equal-size sets by their lowest members', () => {
    expect(sorted(['_[4-5]', '_[1-2]'])).toEqual(['_[1-2]', '_[4-5]']);
    expect(sorted(['_[13]', '_[12]'])).toEqual(['_[12]', '_[13]']);
  });
  it('prefers the longer specific prefix', () => {
    expect(sorted(['_1.', '_12.', '_123'])).toEqual(['_123', '_12.', '_1.']);
  });
});

describe('lookups with includes, CID and priorities', () => {
  const { dialplan } = compile(`
[outgoing]
exten => _9X.,1,NoOp(outside)
exten => 911,1,NoOp(emergency)
include => internal
include => other

[internal]
exten => 100,1,NoOp(internal 100)
exten => 9123,1,NoOp(literal in include)

[other]
exten => 100,1,NoOp(other 100)
exten => 200,1,NoOp(other 200)
exten => 200/5551234,1,NoOp(caller specific)

[cid]
exten => 300/_555X.,1,NoOp(555 callers)
exten => 300,1,NoOp(anyone)
exten => 301/,1,NoOp(only anonymous)

[gappy]
exten => 10,1,NoOp()
exten => 10,3,NoOp()
exten => _1X,2,NoOp(pattern has 2)
`);
  it('searches own extensions (patterns included) before includes (reference §10.5)', () => {
    expect(dialplan.find('outgoing', '9123', 1)?.step?.data).toBe('outside');
    expect(dialplan.find('outgoing', '911', 1)?.step?.data).toBe('emergency');
  });
  it('searches includes in written order', () => {
    expect(dialplan.find('outgoing', '100', 1)?.step?.data).toBe('internal 100');
    expect(dialplan.find('outgoing', '100', 1)?.context.name).toBe('internal');
    expect(dialplan.find('outgoing', '200', 1)?.step?.data).toBe('other 200');
  });
  it('matches caller ID patterns first, and an empty CID only matches an empty pattern', () => {
    expect(dialplan.find('other', '200', 1, { callerId: '5551234' })?.step?.data).toBe('caller specific');
    expect(dialplan.find('cid', '300', 1, { callerId: '5559999' })?.step?.data).toBe('555 callers');
    expect(dialplan.find('cid', '300', 1, { callerId: '4441234' })?.step?.data).toBe('anyone');
    expect(dialplan.find('cid', '300', 1, { callerId: '' })?.step?.data).toBe('anyone');
    expect(dialplan.exists('cid', '301', 1, { callerId: '' })).toBe(true);
    expect(dialplan.exists('cid', '301', 1, { callerId: '100' })).toBe(false);
  });
  it('keeps scanning when the first match lacks the priority', () => {
    expect(dialplan.find('gappy', '10', 2)?.step?.data).toBe('pattern has 2');
    expect(dialplan.find('gappy', '10', 3)?.extension.name).toBe('10');
  });
  it('decides 484 vs 404 with canMatch and matchMore', () => {
    expect(dialplan.matchMore('outgoing', '9')).toBe(true);
    expect(dialplan.canMatch('outgoing', '9')).toBe(true);
    expect(dialplan.exists('outgoing', '9')).toBe(false);
    expect(dialplan.canMatch('outgoing', '7')).toBe(false);
    expect(dialplan.matchMore('internal', '10')).toBe(true);
    expect(dialplan.matchMore('internal', '100')).toBe(false);
  });
  it('treats a matching ! pattern as a final no for matchMore', () => {
    const { dialplan: early } = compile(`[ctx]\nexten => _1X34,1,NoOp()\nexten => _12!,1,NoOp()\n`);
    expect(early.matchMore('ctx', '12')).toBe(false);
    expect(early.exists('ctx', '12')).toBe(true);
  });
  it('does not loop on circular includes', () => {
    const { dialplan: loop } = compile(`[a]\ninclude => b\n[b]\ninclude => a\nexten => 1,1,NoOp()\n`);
    expect(loop.exists('a', '1')).toBe(true);
    expect(loop.exists('a', '2')).toBe(false);
  });
  it('honours include time specs', () => {
    const { dialplan: timed } = compile(`[main]\ninclude => day,09:00-17:00,mon-fri,*,*\ninclude => night\n[day]\nexten => s,1,NoOp(day)\n[night]\nexten => s,1,NoOp(night)\n`);
    const wednesdayNoon = new Date(2024, 0, 3, 12, 0);
    const saturdayNoon = new Date(2024, 0, 6, 12, 0);
    const wednesdayEvening = new Date(2024, 0, 3, 17, 1);
    expect(timed.find('main', 's', 1, { now: wednesdayNoon })?.step?.data).toBe('day');
    expect(timed.find('main', 's', 1, { now: saturdayNoon })?.step?.data).toBe('night');
    expect(timed.find('main', 's', 1, { now: wednesdayEvening })?.step?.data).toBe('night');
    expect(timed.find('main', 's', 1, { now: new Date(2024, 0, 3, 17, 0) })?.step?.data).toBe('day');
  });
  it('finds labels and hints', () => {
    const { dialplan: labelled } = compile(`[ctx]\nexten => 100,hint,SIP/100&SIP/101\nexten => 100,1,NoOp()\n same => n(loop),NoOp(at loop)\n`);
    expect(labelled.find('ctx', '100', 'loop')?.step?.priority).toBe(2);
    expect(labelled.hint('ctx', '100')?.extension.hint?.application).toBe('SIP/100&SIP/101');
  });
});
