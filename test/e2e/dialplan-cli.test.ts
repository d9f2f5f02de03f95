/**
 * The dialplan CLI over `tandem -rx` (pbx_config and main/pbx_app.c layouts): dialplan show
 * [[exten@]context], core show applications/functions (with the SIP functions the server
 * registers), and dialplan reload — a new dialplan takes the next call, a broken one is refused
 * with file:line and the running one keeps answering, autofallthrough=no waits for digits and
 * then runs `t`.
 */
import { describe, expect, it } from 'vitest';
import { callExpectingFailure, sipConf, type DialplanNet } from './dialplan-support.js';
import { PHONE_PORT, SIP_PORT, rtpConf, useTandem } from './test-server.js';

const net: DialplanNet = { server: '127.0.36.31', sipPort: SIP_PORT, caller: '127.0.36.32', callee: '127.0.36.33', phonePort: PHONE_PORT };

const EXTENSIONS = `[general]
autofallthrough=yes

[globals]
GREETING=hello

[test]
include => shared
exten => 100,1,NoOp(\${GREETING})
 same => n(done),Hangup(21)
exten => _1XX,1,Hangup(1)
exten => 300,hint,SIP/alice

[shared]
exten => 500,1,Hangup(19)
ignorepat => 9
`;

const files = {
  'sip.conf': sipConf(
    net,
    `[alice]
type=friend
host=dynamic
context=test
disallow=all
allow=ulaw
`,
  ),
  'extensions.conf': EXTENSIONS,
  'rtp.conf': rtpConf(22600),
};

describe('dialplan CLI over tandem -rx', () => {
  const server = useTandem(files, net);

  async function rx(command: string): Promise<{ code: number; output: string }> {
    return server().rx(command);
  }

  async function call(exten: string, status: number): Promise<void> {
    const result = await callExpectingFailure(net, { exten, from: 'alice' }, status);
    expect(result.exitCode, result.messages).toBe(0);
  }

  it('dialplan show lists every context, newest first, with file:line, labels, hints, includes and ignore patterns', async () => {
    const { code, output } = await rx('dialplan show');
    expect(code, output).toBe(0);
    expect(output).toBe(
      [
        "[ Context 'shared' created by 'pbx_config' ]",
        "  '500' =>          1. Hangup(19)                                 [extensions.conf:15]",
        "  Ignore pattern => '9'                                           [pbx_config]",
        '',
        "[ Context 'test' created by 'pbx_config' ]",
        "  '100' =>          1. NoOp(${GREETING})                          [extensions.conf:9]",
        '     [done]         2. Hangup(21)                                 [extensions.conf:10]',
        "  '300' =>          hint: SIP/alice                               [extensions.conf:12]",
        "  '_1XX' =>         1. Hangup(1)                                  [extensions.conf:11]",
        "  Include =>        'shared'                                      [pbx_config]",
        '',
        '-= 4 extensions (5 priorities) in 2 contexts. =-',
        '',
      ].join('\n'),
    );
  });

  it('dialplan show exten@context matches patterns and follows includes', async () => {
    const pattern = await rx('dialplan show 150@test');
    expect(pattern.code).toBe(0);
    expect(pattern.output).toBe(
      [
        "[ Context 'test' created by 'pbx_config' ]",
        "  '_1XX' =>         1. Hangup(1)                                  [extensions.conf:11]",
        '',
        '-= 1 extension (1 priority) in 1 context. =-',
        '',
      ].join('\n'),
    );
    const included = await rx('dialplan show 500@test');
    expect(included.code).toBe(0);
    expect(included.output).toBe(
      [
        "[ Included context 'shared' created by 'pbx_config' ]",
        "  '500' =>          1. Hangup(19)                                 [extensions.conf:15]",
        '',
        '-= 1 extension (1 priority) in 1 context. =-',
        '',
      ].join('\n'),
    );
  });

  it('dialplan show fails for an unknown context or extension (non-zero exit, no totals)', async () => {
    expect(await rx('dialplan show nosuch')).toEqual({ code: 1, output: "There is no existence of 'nosuch' context\n" });
    expect(await rx('dialplan show 42@test')).toEqual({ code: 1, output: 'There is no existence of 42@test extension\n' });
  });

  it('core show applications lists the applications with their synopsis; core show application describes one', async () => {
    const list = await rx('core show applications');
    expect(list.code).toBe(0);
    const lines = list.output.split('\n');
    expect(lines[0]).toBe('    -= Registered Asterisk Applications =-');
    expect(lines).toContain('                  Dial: Attempt to connect to another device or endpoint and bridge the call.');
    expect(lines).toContain('          SIPAddHeader: Add a SIP header to the outbound call.');
    expect(lines.at(-2)).toMatch(/^ {4}-= \d+ Applications Registered =-$/);
    const like = await rx('core show applications like sip');
    expect(like.output).toContain('-= Matching Asterisk Applications =-');
    expect(like.output).toMatch(/-= [1-9]\d* Applications Matching =-/);
    const one = await rx('core show application chanisavail');
    expect(one.code).toBe(0);
    expect(one.output).toContain("  -= Info about Application 'ChanIsAvail' =- \n\n[Synopsis]\nCheck channel availability\n");
    expect(await rx('core show application NoSuchApp')).toEqual({ code: 1, output: 'Your application(s) is (are) not registered\n' });
  });

  it('core show functions includes the SIP functions the server registers; core show function describes one', async () => {
    const list = await rx('core show functions like SIP');
    expect(list.code).toBe(0);
    expect(list.output.split('\n')).toEqual([
      'Matching Custom Functions:',
      '--------------------------------------------------------------------------------',
      'SIPPEER               SIPPEER(peername[,item])             Gets SIP peer information.',
      'SIP_HEADER            SIP_HEADER(name[,number])            Gets the specified SIP header from an incoming INVITE message.',
      'SIP_HEADERS           SIP_HEADERS([prefix])                Gets the list of SIP header names from an incoming INVITE message.',
      '3 matching custom functions installed.',
      '',
    ]);
    const all = await rx('core show functions');
    expect(all.output).toMatch(/^\d+ custom functions installed\.$/m);
    const one = await rx('core show function SIP_HEADER');
    expect(one.output).toContain("-= Info about Function 'SIP_HEADER' =-");
    expect((await rx('core show function sip_header')).code).toBe(1);
  });

  it('dialplan reload: a new dialplan takes the next call; a broken one is refused and the running one keeps answering', async () => {
    await call('100', 403);
    server().confDir.write('extensions.conf', EXTENSIONS.replace('Hangup(21)', 'Hangup(27)').replace('GREETING=hello', 'GREETING=reloaded'));
    const reloaded = await rx('dialplan reload');
    expect(reloaded.code).toBe(0);
    expect(reloaded.output).toMatch(/Dialplan reloaded\.\n$/);
    await call('100', 502);
    expect((await rx('dialplan show 100@test')).output).toContain('Hangup(27)');

    server().confDir.write('extensions.conf', `[broken]\nsame => n,NoOp()\n${EXTENSIONS.replace('Hangup(21)', 'Hangup(34)')}`);
    const refused = await rx('dialplan reload');
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('the running configuration is unchanged');
    expect(refused.output).toContain('extensions.conf:2');
    expect(refused.output).toContain("No previous pattern in the first entry of context 'broken'");
    await call('100', 502);
  });

  it('after reloading with autofallthrough=no, running off the end waits TIMEOUT(response) for digits and then runs t', async () => {
    server().confDir.write(
      'extensions.conf',
      `[general]
autofallthrough=no

[test]
exten => 600,1,Set(TIMEOUT(response)=1)
 same => n,NoOp(no more priorities)
exten => t,1,Hangup(21)
`,
    );
    expect((await rx('dialplan reload')).code).toBe(0);
    await call('600', 403);
  });
});
