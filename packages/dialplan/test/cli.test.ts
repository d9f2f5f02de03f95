import { describe, expect, it } from 'vitest';
import { coreShowApplication, coreShowApplications, coreShowFunction, coreShowFunctions, createApplicationRegistry, createFunctionRegistry, dialplanShow } from '../src/index.js';
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
    expect(dialplanShow(dialplan, 'default').text).toBe(
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
    expect(dialplanShow(dialplan, '200@default').text).toBe(
      [
        "[ Included context 'internal' created by 'pbx_config' ]",
        "  '200' =>          1. NoOp(internal)                             [extensions.conf:10]",
        '',
        '-= 1 extension (1 priority) in 1 context. =-',
        '',
      ].join('\n'),
    );
  });
  it('fails for missing contexts and extensions, without the totals line (CLI_FAILURE)', () => {
    expect(dialplanShow(dialplan, 'nosuch')).toEqual({ text: "There is no existence of 'nosuch' context\n", ok: false });
    expect(dialplanShow(dialplan, '555@internal')).toEqual({ text: 'There is no existence of 555@internal extension\n', ok: false });
    expect(dialplanShow(dialplan, '555@')).toEqual({ text: "There is no existence of '555' extension in all contexts\n", ok: false });
    // A matching ignore pattern is printed (without its context header) before the failure.
    expect(dialplanShow(dialplan, '98@default')).toEqual({ text: "  Ignore pattern => '9'                                           [pbx_config]\nThere is no existence of 98@default extension\n", ok: false });
  });
  it('lists every context for a bare dialplan show', () => {
    const { text } = dialplanShow(dialplan);
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
  it('counts every matching word for describing, as pbx_app.c does', () => {
    const text = coreShowApplications(createApplicationRegistry(), { describing: ['DIALSTATUS', 'DIALEDTIME'] });
    expect(text).toContain('                  Dial: ');
    expect(text).toMatch(/-= (\d+) Applications Matching =-/);
    const printed = text.split('\n').filter((line) => /^ {2}\s*\S+: /.test(line)).length;
    expect(Number(/-= (\d+) Applications Matching/.exec(text)?.[1])).toBe(printed * 2);
  });
  it('describes applications (any case, several at once) and functions (exact name) in Asterisk 20 blocks', () => {
    const applications = createApplicationRegistry();
    const shown = coreShowApplication(applications, ['answer', 'Wait']);
    expect(shown.ok).toBe(true);
    expect(shown.text.startsWith("\n  -= Info about Application 'Answer' =- \n\n[Synopsis]\nAnswer a channel if ringing.\n\n[Provided By]\n")).toBe(true);
    expect(shown.text).toContain("-= Info about Application 'Wait' =-");
    expect(shown.text).toContain('[Syntax]\nAnswer([delay,[options]])\n\n[Arguments]\n');
    expect(coreShowApplication(applications, ['NoSuchApp'])).toEqual({ text: 'Your application(s) is (are) not registered\n', ok: false });
    const functions = createFunctionRegistry();
    expect(coreShowFunction(functions, 'LEN').text).toContain("-= Info about Function 'LEN' =-");
    expect(coreShowFunction(functions, 'len')).toEqual({ text: 'No function by that name registered.\n', ok: false });
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
