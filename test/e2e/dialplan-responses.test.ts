/**
 * What an unanswered caller hears when the dialplan ends the call (reference §5.6, §6.3 and
 * §10 items 2-5 and 8): Hangup(cause) by number and by name, Busy(), Congestion(), unknown
 * applications, gaps, running off the end with autofallthrough, Dial outcomes (busy callee,
 * never-registered peer, timeout), overlap dialling (484) and the match order of a context's
 * own extensions against its includes. Every caller is a real sipp process.
 */
import { describe, expect, it } from 'vitest';
import { callExpectingFailure, headerValues, received, sipConf, settle, startCallee, tracedMessages, type DialplanNet } from './dialplan-support.js';
import { PHONE_PORT, SIP_PORT, rtpConf, useTandem } from './test-server.js';

const net: DialplanNet = { server: '127.0.36.1', sipPort: SIP_PORT, caller: '127.0.36.2', callee: '127.0.36.3', phonePort: PHONE_PORT };

const files = {
  'sip.conf': sipConf(
    net,
    `[phone](!)
type=friend
context=test
disallow=all
allow=ulaw

; Callers: matched by their From user, no secret.
[alice](phone)
host=dynamic

[overlap](phone)
host=dynamic
context=overlap

[overlapdtmf](phone)
host=dynamic
context=overlap
allowoverlap=dtmf

[nooverlap](phone)
host=dynamic
context=overlap
allowoverlap=no

; The callee: a static address, no registration needed.
[bob](phone)
host=${net.callee}
port=${net.phonePort}

; Never registered: calls to it are CHANUNAVAIL.
[carol](phone)
host=dynamic
secret=carolpw
`,
  ),
  'extensions.conf': `
[general]
autofallthrough=yes

[test]
include => first-include
include => second-include
exten => 100,1,Hangup()
exten => 101,1,Hangup(21)
exten => 102,1,Hangup(1)
exten => 103,1,Hangup(34)
exten => 104,1,Hangup(19)
exten => 105,1,Hangup(27)
exten => 106,1,Hangup(18)
exten => 107,1,Hangup(28)
exten => 108,1,Busy()
exten => 109,1,Congestion()
exten => 110,1,Hangup(USER_BUSY)
exten => 111,1,Hangup(CALL_REJECTED)
exten => 112,1,Hangup(NORMAL_CIRCUIT_CONGESTION)
exten => 113,1,Hangup(UNALLOCATED)
exten => 114,1,NoSuchApplication(anything)
exten => 115,1,NoOp(a gap follows)
exten => 115,3,Hangup(21)
exten => 116,1,NoOp(runs off the end)
exten => 117,1,Dial(SIP/bob)
exten => 118,1,Dial(SIP/bob)
 same => n,Hangup()
exten => 119,1,Dial(SIP/carol)
exten => 120,1,Dial(SIP/bob,1.5)
exten => 121,1,Dial(SIP/bob,1.5)
 same => n,Hangup()
exten => 122,1,Set(DIALSTATUS=CONGESTION)
exten => 123,1,Hangup(NO_SUCH_CAUSE)
exten => 124,1,Busy(1)
exten => 125,1,Hangup(127)
exten => 126,1,Hangup(58)
exten => 127,1,Incomplete(n)
exten => 128,1,Ringing()
 same => n,Progress()
 same => n,Ringing()
 same => n,Busy()
exten => 129,1,Proceeding()
 same => n,Congestion(5)
exten => _13X,1,Hangup(21)
exten => 140,1,Dial(Local/busy@local-targets)
exten => 141,1,Dial(Local/999@nowhere)
exten => 142,1,Dial(Local/congested@local-targets)
exten => 143,1,Dial(Local/rejects@local-targets)
 same => n,Hangup()

[local-targets]
exten => busy,1,Busy()
exten => congested,1,Congestion()
exten => rejects,1,Hangup(CALL_REJECTED)

[first-include]
exten => 130,1,Hangup(1)
exten => _5XX,1,Hangup(19)

[second-include]
exten => 555,1,Hangup(27)

[overlap]
exten => _X.,1,Hangup(21)
`,
  'rtp.conf': rtpConf(22000),
};

describe('SIP responses produced by the dialplan (reference §5.6, §10.2-10.5, §10.8)', () => {
  const server = useTandem(files, net);

  async function expectFinal(exten: string, status: number, from = 'alice'): Promise<string> {
    const result = await callExpectingFailure(net, { exten, from }, status);
    expect(result.exitCode, `${exten}: ${result.messages}\n${server().output().slice(-3000)}`).toBe(0);
    return result.messages;
  }

  it.each([
    ['100', 603, 'Hangup() with no cause'],
    ['101', 403, 'Hangup(21)'],
    ['102', 404, 'Hangup(1)'],
    ['103', 503, 'Hangup(34)'],
    ['104', 480, 'Hangup(19)'],
    ['105', 502, 'Hangup(27)'],
    ['106', 408, 'Hangup(18)'],
    ['107', 484, 'Hangup(28)'],
    ['125', 500, 'Hangup(127)'],
    ['126', 488, 'Hangup(58)'],
  ])('extension %s answers %i (%s)', async (exten, status) => {
    await expectFinal(exten, status);
  });

  it.each([
    ['110', 486, 'USER_BUSY'],
    ['111', 403, 'CALL_REJECTED'],
    ['112', 503, 'NORMAL_CIRCUIT_CONGESTION'],
    ['113', 404, 'UNALLOCATED'],
  ])('Hangup() takes Q.850 names: extension %s answers %i (%s)', async (exten, status) => {
    await expectFinal(exten, status);
  });

  it('an invalid cause name keeps the default cause: 603', async () => {
    await expectFinal('123', 603);
  });

  it('Busy() answers 486 Busy Here and Congestion() 503 Service Unavailable at once, before their cause is set', async () => {
    // pbx_builtins.c indicate_busy(): ast_indicate() first, the cause (17/34) afterwards, so
    // chan_sip's response carries no X-Asterisk-HangupCause headers.
    const busy = received(await expectFinal('108', 486), '486');
    expect(busy?.text).toMatch(/^SIP\/2\.0 486 Busy Here/);
    expect(headerValues(busy, 'X-Asterisk-HangupCauseCode')).toEqual([]);
    const congestion = received(await expectFinal('109', 503), '503');
    expect(congestion?.text).toMatch(/^SIP\/2\.0 503 Service Unavailable/);
    expect(headerValues(congestion, 'X-Asterisk-HangupCauseCode')).toEqual([]);
  });

  it('Busy(1) gives the caller 486 at once, before its timeout ends', async () => {
    await expectFinal('124', 486);
  });

  it('an unknown application ends the call: 603 Declined (§10.8)', async () => {
    const messages = await expectFinal('114', 603);
    expect(received(messages, '603')?.text).toMatch(/^SIP\/2\.0 603 Declined/);
  });

  it('a gap in the priorities ends the call: 603, the priority after the gap never runs (§10.2)', async () => {
    await expectFinal('115', 603);
  });

  it('running off the end of an extension with autofallthrough=yes: 603 (§10.2)', async () => {
    await expectFinal('116', 603);
  });

  it('running off the end after DIALSTATUS=CONGESTION: congestion, 503 (§6.3)', async () => {
    await expectFinal('122', 503);
  });

  it('Dial to a busy callee, then off the end: autofallthrough gives 486 (§6.3)', async () => {
    const bob = startCallee(net, 'uas-busy.xml');
    await settle();
    await expectFinal('117', 486);
    expect((await bob.done).exitCode).toBe(0);
  });

  it('Hangup() after a busy callee keeps cause 17: 486 (§10.3)', async () => {
    const bob = startCallee(net, 'uas-busy.xml');
    await settle();
    const messages = await expectFinal('118', 486);
    expect(headerValues(received(messages, '486'), 'X-Asterisk-HangupCauseCode')).toEqual(['17']);
    expect(headerValues(received(messages, '486'), 'X-Asterisk-HangupCause')).toEqual(['User busy']);
    expect((await bob.done).exitCode).toBe(0);
  });

  it('dialling a peer that never registered: CHANUNAVAIL, the caller gets 503 (§10.3)', async () => {
    await expectFinal('119', 503);
  });

  it('an unanswered Dial with a fractional timeout cancels the callee and declines the caller, with or without Hangup() after it (§10.2)', async () => {
    for (const exten of ['120', '121']) {
      const bob = startCallee(net, 'uas-ring-cancel.xml');
      await settle();
      await expectFinal(exten, 603);
      expect((await bob.done).exitCode).toBe(0);
    }
  });

  it('a context\'s own pattern beats a literal extension of an include (§10.5)', async () => {
    await expectFinal('130', 403);
  });

  it('among includes, the first that matches wins, pattern or not (§10.5)', async () => {
    await expectFinal('555', 480);
  });

  it('a number that only a longer pattern could match: 484 Address Incomplete (§10.4)', async () => {
    await expectFinal('9', 484, 'overlap');
    await expectFinal('91', 403, 'overlap');
  });

  it('the same number from a device with allowoverlap=dtmf or no: 404 Not Found', async () => {
    await expectFinal('9', 404, 'overlapdtmf');
    await expectFinal('9', 404, 'nooverlap');
  });

  it('Incomplete(n) before the answer: 484 Address Incomplete (allowoverlap=yes)', async () => {
    await expectFinal('127', 484);
  });

  it('Ringing() sends 180, Progress() 183 with SDP; Ringing() after the 183 goes into the audio; Busy() then 486', async () => {
    const messages = await expectFinal('128', 486);
    const provisional = (status: string): number => tracedMessages(messages).filter((message) => message.direction === 'received' && message.first === status).length;
    expect(provisional('180')).toBe(1);
    expect(provisional('183')).toBe(1);
    expect(received(messages, '183')?.text).toMatch(/\r?\n\r?\nv=0/);
  });

  it('Proceeding() sends another 100 Trying; Congestion(5) answers 503 at once', async () => {
    const messages = await expectFinal('129', 503);
    expect(tracedMessages(messages).filter((message) => message.direction === 'received' && message.first === '100').length).toBe(2);
  });

  it.each([
    ['140', 486, 'a Local channel whose dialplan is Busy(): BUSY'],
    ['141', 503, 'a Local channel to an extension that does not exist: CHANUNAVAIL'],
    ['142', 503, 'a Local channel whose dialplan is Congestion(): CONGESTION'],
    ['143', 403, 'a Local channel hung up with CALL_REJECTED, then Hangup(): the caller keeps cause 21'],
  ])('Dial through Local: extension %s answers %i (%s)', async (exten, status) => {
    await expectFinal(exten, status);
  });

  it('an extension that exists nowhere: 404', async () => {
    await expectFinal('999', 404);
  });
});
