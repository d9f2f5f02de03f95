/**
 * The SIP-facing dialplan, end to end (the seed page and reference §5.1, §5.7, §6.4, §10.6,
 * §10.7, §10.10): routing on ${SIP_HEADER(TO):5:11} ("Crossed Incoming SIP Lines"), headers
 * added with SIPAddHeader reaching the outbound INVITE, VXML_URL and ALERT_INFO as Asterisk 20
 * treats them, variable inheritance across Dial and Local channels, expressions carried into
 * headers, ChanIsAvail's channel names and the h extension. Callers and callees are sipp
 * processes; what the dialplan saw is read back from astdb over `tandem -rx`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  callExpectingFailure,
  clearDatabaseValue,
  databaseValue,
  headerValues,
  received,
  settle,
  startAnsweredCall,
  startCallThatHangsUp,
  startCallee,
  sipConf,
  type DialplanNet,
} from './dialplan-support.js';
import { PHONE_PORT, SIP_PORT, rtpConf, useTandem } from './test-server.js';

const net: DialplanNet = { server: '127.0.36.11', sipPort: SIP_PORT, caller: '127.0.36.12', callee: '127.0.36.13', phonePort: PHONE_PORT };

const files = {
  'sip.conf': sipConf(
    net,
    `[phone](!)
type=friend
host=dynamic
disallow=all
allow=ulaw

[alice](phone)
context=test
callerid="Alice" <2001>

; Two lines of the same provider: the wiki's dialplan as written, and without the spaces.
[trunk1](phone)
context=route-calls

[trunk2](phone)
context=route-calls-fixed

[bob](phone)
host=${net.callee}
port=${net.phonePort}
context=test

[carol](phone)
secret=carolpw

[dave](phone)
host=127.0.36.14
port=${net.phonePort}
`,
  ),
  'extensions.conf': `
[general]
autofallthrough=yes

; "Crossed Incoming SIP Lines", exactly as the wiki page writes it.
[route-calls]
exten => s,1,Answer
exten => s,n,Set(cNum = \${SIP_HEADER(TO):5:11})
exten => s,n,GotoIf($[\${cNum} = 12223334444]?sipLine1,s,1)
exten => s,n,GotoIf($[\${cNum} = 12223335555]?sipLine2,s,1)
exten => s,n,Set(DB(e2e/routed)=nowhere:\${cNum }:\${SIP_HEADER(TO)})
exten => s,n,Hangup()

[route-calls-fixed]
exten => s,1,Answer
exten => s,n,Set(cNum=\${SIP_HEADER(TO):5:11})
exten => s,n,GotoIf($[\${cNum} = 12223334444]?sipLine1,s,1)
exten => s,n,GotoIf($[\${cNum} = 12223335555]?sipLine2,s,1)
exten => s,n,Set(DB(e2e/routed)=nowhere:\${cNum})
exten => s,n,Hangup()

[sipLine1]
exten => s,1,Set(DB(e2e/routed)=line1)
 same => n,Hangup()

[sipLine2]
exten => s,1,Set(DB(e2e/routed)=line2)
 same => n,Hangup()

[test]
; Distinctive ring: Alert-Info through SIPAddHeader (the page's 1.4+ way).
exten => 200,1,SIPAddHeader(Alert-Info: something)
 same => n,SIPAddHeader(X-Second: two)
 same => n,Dial(SIP/bob)

; VXML_URL is read on the outgoing channel: only the inherited form reaches it.
exten => 201,1,Set(_VXML_URL=foobar)
 same => n,Dial(SIP/bob)
exten => 202,1,Set(VXML_URL=foobar)
 same => n,Dial(SIP/bob)

; ALERT_INFO has no meaning in Asterisk 20, inherited or not.
exten => 203,1,Set(_ALERT_INFO=something)
 same => n,SetVar(__ALERT_INFO=something)
 same => n,Dial(SIP/bob)

; Inheritance through a Local channel: __ reaches the SIP leg, _ stops at Local.
exten => 204,1,SIPAddHeader(X-Inherited: two-levels)
 same => n,Set(_ONELEVEL=one)
 same => n,Set(__FOREVER=\${CALLERID(num)})
 same => n,Set(_VXML_URL=not-for-bob)
 same => n,Dial(Local/bob@dial-bob)

; Expressions (§10.6) carried into headers.
exten => 205,1,SIPAddHeader(X-Div3: $[10 / 3])
 same => n,SIPAddHeader(X-Div4: $[10 / 4])
 same => n,SIPAddHeader(X-Match: $["abc123" =~ "[0-9]+"])
 same => n,SIPAddHeader(X-Capture: $["sip:12223334444@x" : "sip:([0-9]+)@"])
 same => n,SIPAddHeader(X-Unquoted: $[1234 : 12(3)4])
 same => n,SIPAddHeader(X-Quoted: $[1234 : "12(3)4"])
 same => n,SIPAddHeader(X-And: $[5 & 7])
 same => n,SIPAddHeader(X-Or: $[0 | 7])
 same => n,SIPAddHeader(X-Substring: \${CALLERID(all):-5:4})
 same => n,Dial(SIP/bob)

; ChanIsAvail returns SIP channel names.
exten => 206,1,ChanIsAvail(SIP/carol&SIP/bob)
 same => n,Set(DB(e2e/availchan)=\${AVAILCHAN})
 same => n,Set(DB(e2e/availorig)=\${AVAILORIGCHAN})
 same => n,Set(DB(e2e/availstatus)=\${AVAILSTATUS})
 same => n,Hangup(21)

; The h extension runs when the caller hangs up.
exten => 207,1,Goto(with-h,s,1)
exten => 208,1,Goto(with-h,busy,1)

; Inheritance onto the callee, seen by a U() subroutine that runs on it after it answers.
exten => 209,1,Set(__FOREVER=caller-says-hi)
 same => n,Set(_ONELEVEL=one)
 same => n,Set(NOTINHERITED=no)
 same => n,Dial(SIP/bob,10,U(on-callee^arg1))

; SIP_HEADER reads the initial INVITE, compact and long forms alike.
exten => 210,1,Set(DB(e2e/headers)=\${SIP_HEADER(to)}|\${SIP_HEADER(From)}|\${SIP_HEADER(f)}|\${SIP_HEADER(Call-ID):0:2}|\${SIP_HEADER(X-Missing)}|\${SIP_HEADER(Via,2)}|\${SIP_HEADERS(C)})
 same => n,Hangup(21)

; chan_sip's CHANNEL() items.
exten => 212,1,Set(DB(e2e/channel)=\${CHANNEL(peerip)}|\${CHANNEL(recvport)}|\${CHANNEL(from)}|\${CHANNEL(uri)}|\${CHANNEL(ruri)}|\${CHANNEL(peername)}|\${CHANNEL(t38passthrough)}|\${CHANNEL(rtpdest)}|\${CHANNEL(rtpdest,video)})
 same => n,Hangup(21)

; SIPPEER() on a static peer, a dynamic one never registered and an unknown name.
exten => 213,1,Set(DB(e2e/sippeer)=\${SIPPEER(bob)}|\${SIPPEER(bob,port)}|\${SIPPEER(bob,status)}|\${SIPPEER(bob,codecs)}|\${SIPPEER(bob,context)}|\${SIPPEER(bob,dynamic)}|\${SIPPEER(carol)}|\${SIPPEER(carol,dynamic)}|\${SIPPEER(nosuch)})
 same => n,Hangup(21)

; What each dialled leg ended with.
exten => 214,1,Dial(SIP/bob)
 same => n,Set(DB(e2e/hangupcause)=\${HANGUPCAUSE_KEYS()}|\${HANGUPCAUSE(\${HANGUPCAUSE_KEYS()},tech)}|\${HANGUPCAUSE(\${HANGUPCAUSE_KEYS()},ast)}|\${DIALSTATUS})
 same => n,Hangup()

; Transfer() before the answer redirects the caller (302).
exten => 215,1,Transfer(SIP/9999)
 same => n,Set(DB(e2e/transfer)=\${TRANSFERSTATUS}:\${TRANSFERSTATUSPROTOCOL})
 same => n,Hangup()
exten => 216,1,Transfer(IAX2/9999)
 same => n,Set(DB(e2e/transfer)=\${TRANSFERSTATUS}:\${TRANSFERSTATUSPROTOCOL})
 same => n,Hangup(21)

; Two phones ring; the one that does not answer is cancelled as answered elsewhere.
exten => 211,1,Dial(SIP/bob&SIP/dave,10)

[dial-bob]
exten => bob,1,SIPAddHeader(X-Seen: \${VXML_URL}|\${ONELEVEL}|\${FOREVER})
 same => n,Dial(SIP/bob)

[on-callee]
exten => s,1,Set(DB(e2e/callee)=\${FOREVER}|\${ONELEVEL}|\${NOTINHERITED}|\${ARG1}|\${CHANNEL:0:8})
 same => n,Return()

[with-h]
exten => s,1,Answer()
 same => n,Wait(20)
exten => busy,1,Hangup(USER_BUSY)
exten => h,1,Set(DB(e2e/h)=\${CHANNEL:0:10}:\${EXTEN}:\${HANGUPCAUSE})
`,
  'rtp.conf': rtpConf(22200),
};

describe('the SIP-facing dialplan', () => {
  const server = useTandem(files, net);

  /** Calls `exten` as alice while bob answers 486; returns the INVITE bob received. */
  async function inviteToBusyBob(exten: string): Promise<ReturnType<typeof received>> {
    const bob = startCallee(net, 'uas-busy.xml');
    await settle();
    const alice = await callExpectingFailure(net, { exten, from: 'alice' }, 486);
    expect(alice.exitCode, alice.messages).toBe(0);
    const bobResult = await bob.done;
    expect(bobResult.exitCode, bobResult.messages).toBe(0);
    return received(bobResult.messages, 'INVITE');
  }

  describe('"Crossed Incoming SIP Lines": routing on ${SIP_HEADER(TO):5:11}', () => {
    beforeEach(async () => clearDatabaseValue(server(), 'e2e', 'routed'));

    async function incomingCall(trunk: string, calledNumber: string): Promise<string | undefined> {
      const call = startAnsweredCall(net, { exten: 's', from: trunk, toUri: `sip:${calledNumber}@domain.com` });
      const result = await call.done;
      expect(result.exitCode, result.messages).toBe(0);
      return databaseValue(server(), 'e2e', 'routed');
    }

    it('without the spaces, routes each called number of the To header to its line context', async () => {
      expect(await incomingCall('trunk2', '12223334444')).toBe('line1');
      expect(await incomingCall('trunk2', '12223335555')).toBe('line2');
      expect(await incomingCall('trunk2', '19998887777')).toBe('nowhere:19998887777');
    });

    it('as the page writes it (Set(cNum = ...)), sets `cNum ` and routes nowhere, like Asterisk 20 (§10.7)', async () => {
      expect(await incomingCall('trunk1', '12223334444')).toBe('nowhere: 12223334444:<sip:12223334444@domain.com>');
      expect(server().output()).toContain("Please avoid unnecessary spaces on variables as it may lead to unexpected results ('cNum ' set to ' 12223334444').");
    });
  });

  it('SIPAddHeader(Alert-Info: something) reaches the INVITE of the dialled phone, with the other added headers', async () => {
    const invite = await inviteToBusyBob('200');
    expect(headerValues(invite, 'Alert-Info')).toEqual(['something']);
    expect(headerValues(invite, 'X-Second')).toEqual(['two']);
  });

  it('_VXML_URL appends to the To header of the outbound INVITE (§10.10)', async () => {
    const invite = await inviteToBusyBob('201');
    expect(headerValues(invite, 'To')).toEqual([expect.stringMatching(/^<sip:[^>]*127\.0\.36\.13[^>]*>;foobar$/)]);
  });

  it('VXML_URL without the inheritance prefix stays on the caller: no effect', async () => {
    const invite = await inviteToBusyBob('202');
    expect(headerValues(invite, 'To')[0]).toMatch(/^<sip:[^>]*>$/);
  });

  it('ALERT_INFO is not special any more: no Alert-Info, inherited or not (§10.10)', async () => {
    const invite = await inviteToBusyBob('203');
    expect(headerValues(invite, 'Alert-Info')).toEqual([]);
  });

  it('__ variables and SIPAddHeader headers cross a Local channel to the SIP leg; _ variables stop at the Local channel', async () => {
    const invite = await inviteToBusyBob('204');
    expect(headerValues(invite, 'X-Inherited')).toEqual(['two-levels']);
    expect(headerValues(invite, 'X-Seen')).toEqual(['not-for-bob|one|2001']);
    expect(headerValues(invite, 'To')[0]).toMatch(/^<sip:[^>]*>$/);
  });

  it('expressions keep Asterisk 20 results on their way into headers (§10.6)', async () => {
    const invite = await inviteToBusyBob('205');
    const header = (name: string): string | undefined => headerValues(invite, name)[0];
    expect(header('X-Div3')).toBe('3.33333333333333333');
    expect(header('X-Div4')).toBe('2.5');
    expect(header('X-Match')).toBe('3');
    expect(header('X-Capture')).toBe('12223334444');
    expect(header('X-Unquoted')).toBe('0');
    expect(header('X-Quoted')).toBe('3');
    expect(header('X-And')).toBe('5');
    expect(header('X-Or')).toBe('7');
    expect(header('X-Substring')).toBe('2001');
  });

  it('ChanIsAvail returns the SIP channel name of the first available device, without calling it', async () => {
    for (const key of ['availchan', 'availorig', 'availstatus']) await clearDatabaseValue(server(), 'e2e', key);
    const alice = await callExpectingFailure(net, { exten: '206', from: 'alice' }, 403);
    expect(alice.exitCode, alice.messages).toBe(0);
    expect(await databaseValue(server(), 'e2e', 'availchan')).toMatch(/^SIP\/bob-[0-9a-f]{8}$/);
    expect(await databaseValue(server(), 'e2e', 'availorig')).toBe('SIP/bob');
    expect(await databaseValue(server(), 'e2e', 'availstatus')).toBe('0&0');
  });

  it('runs the h extension when the caller hangs up, with the caller\'s cause', async () => {
    await clearDatabaseValue(server(), 'e2e', 'h');
    const call = startCallThatHangsUp(net, { exten: '207', from: 'alice', holdMs: 800 });
    const result = await call.done;
    expect(result.exitCode, result.messages).toBe(0);
    expect(await databaseValue(server(), 'e2e', 'h')).toBe('SIP/alice-:h:16');
  });

  it('runs the h extension after Hangup(USER_BUSY), which answers 486', async () => {
    await clearDatabaseValue(server(), 'e2e', 'h');
    const alice = await callExpectingFailure(net, { exten: '208', from: 'alice' }, 486);
    expect(alice.exitCode, alice.messages).toBe(0);
    expect(await databaseValue(server(), 'e2e', 'h')).toBe('SIP/alice-:h:17');
  });

  it('the callee inherits _ and __ variables (not plain ones); U() runs on it after it answers', async () => {
    await clearDatabaseValue(server(), 'e2e', 'callee');
    const bob = startCallee(net, 'uas-answer.xml');
    await settle();
    const alice = await startCallThatHangsUp(net, { exten: '209', from: 'alice', holdMs: 1000 }).done;
    const bobResult = await bob.done;
    expect(alice.exitCode, alice.messages).toBe(0);
    expect(bobResult.exitCode, bobResult.messages).toBe(0);
    expect(await databaseValue(server(), 'e2e', 'callee')).toBe('caller-says-hi|one||arg1|SIP/bob-');
  });

  it('CHANNEL() gives chan_sip\'s items on a SIP channel', async () => {
    await clearDatabaseValue(server(), 'e2e', 'channel');
    const alice = await callExpectingFailure(net, { exten: '212', from: 'alice' }, 403);
    expect(alice.exitCode, alice.messages).toBe(0);
    const caller = `${net.caller}:${net.phonePort}`;
    expect(await databaseValue(server(), 'e2e', 'channel')).toBe(`${net.caller}|${net.phonePort}|sip:alice@${caller}|sip:alice@${caller}|sip:212@${net.server}:${net.sipPort}|alice|0|${net.caller}:7000|`);
  });

  it('SIPPEER() reads peer settings and state', async () => {
    await clearDatabaseValue(server(), 'e2e', 'sippeer');
    const alice = await callExpectingFailure(net, { exten: '213', from: 'alice' }, 403);
    expect(alice.exitCode, alice.messages).toBe(0);
    expect(await databaseValue(server(), 'e2e', 'sippeer')).toBe(`${net.callee}|${net.phonePort}|Unmonitored|(ulaw)|test|no|(null)|yes|`);
  });

  it('HANGUPCAUSE() gives the SIP response of a failed leg and its Q.850 cause', async () => {
    await clearDatabaseValue(server(), 'e2e', 'hangupcause');
    await inviteToBusyBob('214');
    expect(await databaseValue(server(), 'e2e', 'hangupcause')).toMatch(/^SIP\/bob-[0-9a-f]{8}\|SIP 486 Busy Here\|17\|BUSY$/);
  });

  it('Transfer() before the answer sends 302 Moved Temporarily to the extension at the To domain', async () => {
    await clearDatabaseValue(server(), 'e2e', 'transfer');
    const alice = await callExpectingFailure(net, { exten: '215', from: 'alice' }, 302);
    expect(alice.exitCode, alice.messages).toBe(0);
    expect(headerValues(received(alice.messages, '302'), 'Contact')).toEqual([`Transfer <sip:9999@${net.server}>`]);
    expect(await databaseValue(server(), 'e2e', 'transfer')).toBe('SUCCESS:0');
    await clearDatabaseValue(server(), 'e2e', 'transfer');
    const other = await callExpectingFailure(net, { exten: '216', from: 'alice' }, 403);
    expect(other.exitCode, other.messages).toBe(0);
    expect(await databaseValue(server(), 'e2e', 'transfer')).toBe('FAILURE:0');
  });

  it('when one of two ringing phones answers, the other gets a CANCEL saying the call completed elsewhere', async () => {
    const bob = startCallee(net, 'uas-answer.xml');
    const dave = startCallee(net, 'uas-ring-cancel.xml', 7004, '127.0.36.14');
    await settle();
    await settle();
    const alice = await startCallThatHangsUp(net, { exten: '211', from: 'alice', holdMs: 800 }).done;
    const [bobResult, daveResult] = await Promise.all([bob.done, dave.done]);
    expect(alice.exitCode, alice.messages).toBe(0);
    expect(bobResult.exitCode, bobResult.messages).toBe(0);
    expect(daveResult.exitCode, daveResult.messages).toBe(0);
    expect(headerValues(received(daveResult.messages, 'CANCEL'), 'Reason')).toEqual(['SIP;cause=200;text="Call completed elsewhere"']);
  });

  it('SIP_HEADER() reads the initial INVITE (a compact letter matches only itself); SIP_HEADERS() lists names by case-sensitive prefix', async () => {
    await clearDatabaseValue(server(), 'e2e', 'headers');
    const alice = await callExpectingFailure(net, { exten: '210', from: 'alice' }, 403);
    expect(alice.exitCode, alice.messages).toBe(0);
    const value = await databaseValue(server(), 'e2e', 'headers');
    expect(value).toBe(`<sip:210@${net.server}>|<sip:alice@${net.caller}:${net.phonePort}>;tag=1||1-|||Call-ID,CSeq,Contact,Content-Type,Content-Length`);
  });
});
