import { describe, expect, it } from 'vitest';
import { compile } from './support/dialplan-fixture.js';

describe('compileDialplan: the exten line syntax', () => {
  it('resolves n, s, n+N and labels, and keeps priorities across extensions like pbx_config', () => {
    const { dialplan, diagnostics } = compile(`[ctx]
exten => 100,1,NoOp(one)
 same => n(two),NoOp(two)
 same => s,NoOp(dup)
 same => n+2,NoOp(five)
exten => 200,n,NoOp(six)
exten => 100,two+4,NoOp(six via label)
`);
    const steps = dialplan.context('ctx')?.extensions.find((e) => e.name === '100')?.priorities.map((p) => [p.priority, p.label, p.data]);
    expect(steps).toEqual([
      [1, undefined, 'one'],
      [2, 'two', 'two'],
      [5, undefined, 'five'],
      [6, undefined, 'six via label'],
    ]);
    expect(dialplan.exists('ctx', '200', 6)).toBe(true);
    expect(diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("priority 2 in 'ctx', already in use at line 4")]);
  });
  it('takes app data between the first ( and the last )', () => {
    const { dialplan } = compile(`[ctx]\nexten => 1,1,Set(A=$[(1+2)*3])\nexten => 2,1,Answer\nexten => 3,1,NoOp(a(b)c) ; comment\n`);
    expect(dialplan.find('ctx', '1', 1)?.step).toMatchObject({ application: 'Set', data: 'A=$[(1+2)*3]' });
    expect(dialplan.find('ctx', '2', 1)?.step).toMatchObject({ application: 'Answer', data: '' });
    expect(dialplan.find('ctx', '3', 1)?.step).toMatchObject({ application: 'NoOp', data: 'a(b)c' });
  });
  it('rejects same/n on the first line of a context with file:line', () => {
    const { diagnostics } = compile(`[ctx]\nsame => n,NoOp()\nexten => 1,n,NoOp()\n`);
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', line: 2, file: 'extensions.conf', message: expect.stringContaining("No previous pattern in the first entry of context 'ctx'") }),
      expect.objectContaining({ severity: 'warning', line: 3, message: expect.stringContaining("Can't use 'next' priority on the first entry") }),
    ]);
  });
  it('substitutes globals in extension names and include values', () => {
    const { dialplan } = compile(`[globals]\nEXT=500\nTARGET=other\n[ctx]\nexten => \${EXT},1,NoOp()\ninclude => \${TARGET}\n[other]\nexten => 7,1,NoOp()\n`);
    expect(dialplan.exists('ctx', '500')).toBe(true);
    expect(dialplan.exists('ctx', '7')).toBe(true);
    expect(dialplan.globals.get('EXT')).toBe('500');
  });
  it('merges contexts that appear twice', () => {
    const { dialplan } = compile(`[ctx]\nexten => 1,1,NoOp()\n[other]\nexten => 9,1,NoOp()\n[ctx]\nexten => 2,1,NoOp()\n`);
    expect(dialplan.context('ctx')?.extensions.map((e) => e.name)).toEqual(['1', '2']);
  });
  it('warns about variable names with spaces (reference §10.7)', () => {
    const { diagnostics } = compile(`[route-calls]\nexten => s,1,Answer\nexten => s,n,Set(cNum = \${SIP_HEADER(TO):5:11})\n`);
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', line: 3, message: expect.stringContaining("Variable name 'cNum ' in Set(") }),
    ]);
  });
  it('warns about unknown directives, switches and unknown applications when asked', () => {
    const { diagnostics } = compile(`[ctx]\nfoo => bar\nswitch => IAX2/box/ctx\nexten => 1,1,NoOp()\n`);
    expect(diagnostics.map((d) => d.line)).toEqual([2, 3]);
  });
  it('keeps ignorepat and parses CID patterns with shrinking', () => {
    const { dialplan } = compile(`[ctx]\nignorepat => 9\nexten => 1/(555) 12-34,1,NoOp()\n`);
    expect(dialplan.ignorePattern('ctx', '9')).toBe(true);
    expect(dialplan.context('ctx')?.extensions[0]?.callerIdPattern).toBe('5551234');
  });
  it('reads [general] through the config model', () => {
    const { dialplan } = compile(`[general]\nautofallthrough=no\n[ctx]\nexten => 1,1,NoOp()\n`);
    expect(dialplan.general.autofallthrough).toBe(false);
  });
});
