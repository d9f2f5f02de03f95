import { describe, expect, it } from 'vitest';
import { coreShowApplications, coreShowFunctions, createApplicationRegistry, createFunctionRegistry, dialplanShow } from '../src/index.js';
import { compile } from './support/dialplan-fixture.js';

const { dialplan } = compile(`[default]
exten => 100,hint,SIP/100
exten => 100,1,Answer()
 same => n(greet),Playback(hello-world)
exten => _9X.,1,Dial(SIP/\${EXTEN:1}@provider)
include => internal
ignorepat => 9

[internal]
exten => 200,1,NoOp(internal)
`);

describe('dialplan show', () => {
  it('prints one context like Asterisk', () => {
    expect(dialplanShow(dialplan, 'default')).toBe(
      [
        "[ Context 'default' created by 'pbx_config' ]",
        "  '100' =>          hint: SIP/100                                 [extensions.conf:2]",
        '                    1. Answer()                                   [extensions.conf:3]',
        '     [greet]        2. Playback(hello-world)                      [extensions.conf:4]',
        "  '_9X.' =>         1. Dial(SIP/${EXTEN:1}@provider)              [extensions.conf:5]",
        "  Include =>        'internal'                                    [pbx_config]",
        "  Ignore pattern => '9'                                           [pbx_config]",
        '',
        '-= 2 extensions (4 priorities) in 1 context. =-',
        '',
      ].join('\n'),
    );
  });
  it('shows exten@context through includes', () => {
    expect(dialplanShow(dialplan, '200@default')).toBe(
      [
        "[ Included context 'internal' created by 'pbx_config' ]",
        "  '200' =>          1. NoOp(internal)                             [extensions.conf:10]",
        '',
        '-= 1 extension (1 priority) in 1 context. =-',
        '',
      ].join('\n'),
    );
  });
  it('reports missing contexts and extensions', () => {
    expect(dialplanShow(dialplan, 'nosuch')).toBe("There is no existence of 'nosuch' context\n-= 0 extensions (0 priorities) in 0 contexts. =-\n");
    expect(dialplanShow(dialplan, '555@internal')).toContain('There is no existence of 555@internal extension\n');
  });
  it('lists every context for a bare dialplan show', () => {
    const text = dialplanShow(dialplan);
    expect(text.indexOf("[ Context 'internal'")).toBeLessThan(text.indexOf("[ Context 'default'"));
    expect(text.endsWith('-= 3 extensions (5 priorities) in 2 contexts. =-\n')).toBe(true);
  });
});

describe('core show applications / functions', () => {
  it('lists applications sorted with their synopsis', () => {
    const text = coreShowApplications(createApplicationRegistry());
    const lines = text.split('\n');
    expect(lines[0]).toBe('    -= Registered Asterisk Applications =-');
    expect(lines).toContain('                  Dial: Attempt to connect to another device or endpoint and bridge the call.');
    expect(lines.at(-2)).toMatch(/^ {4}-= \d+ Applications Registered =-$/);
    expect(coreShowApplications(createApplicationRegistry(), { like: 'goto' })).toContain('-= 3 Applications Matching =-');
  });
  it('lists functions in columns', () => {
    const text = coreShowFunctions(createFunctionRegistry(), 'CALLER');
    expect(text).toBe(
      'Matching Custom Functions:\n--------------------------------------------------------------------------------\n' +
        'CALLERID              CALLERID(datatype[,CID])             Gets or sets Caller*ID data on the channel.\n' +
        '1 matching custom functions installed.\n',
    );
  });
});
