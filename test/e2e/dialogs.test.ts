/**
 * Mid-call signalling as chan_sip does it: DTMF received in SIP INFO crosses the bridge and
 * leaves the other leg per that leg's dtmfmode (INFO, short INFO, RFC 4733 events), SendDTMF on
 * an INFO device sends INFOs, and in-dialog OPTIONS/UPDATE/INFO/re-INVITE get chan_sip's
 * answers, during the call and after it ended. Every party is a real sipp process (or a UDP
 * socket for RTP) on loopback.
 */
import { describe, expect, it } from 'vitest';
import { RtpPeer, runSipp, scenarioWith, startSipp, type SippOptions } from '@tandem/test-support';
import { PHONE_PORT, SIP_PORT, rtpConf, scenario, sipGeneral, sippAt, useTandem, type PartyOptions } from './test-server.js';

const SERVER = '127.0.30.1';
const net = { server: SERVER, sipPort: SIP_PORT };
const phones = { alice: '127.0.30.2', bob: '127.0.30.3', carol: '127.0.30.4', dave: '127.0.30.5' } as const;
/** Each phone's dtmfmode: the INFO senders and the three ways a digit can leave the other leg. */
const dtmfModes: Record<keyof typeof phones, string> = { alice: 'info', bob: 'info', carol: 'rfc2833', dave: 'shortinfo' };
const devices = Object.entries(phones)
  .map(([name, address]) => `[${name}](device)\nhost=${address}\ndtmfmode=${dtmfModes[name as keyof typeof phones]}\n`)
  .join('\n');

const files = {
  'sip.conf': `
${sipGeneral(net)}
context=dialogs

[device](!)
type=friend
insecure=invite
context=dialogs
port=${PHONE_PORT}
disallow=all
allow=ulaw

${devices}`,
  'extensions.conf': `
[dialogs]
exten => bob,1,Dial(SIP/bob)
exten => carol,1,Dial(SIP/carol)
exten => dave,1,Dial(SIP/dave)
exten => senddtmf,1,Answer()
 same => n,SendDTMF(12)
 same => n,Wait(10)
exten => methods,1,Answer()
 same => n,Wait(20)
`,
  'rtp.conf': rtpConf(30000),
};

/** sipp as one of the phones. */
const phone = (who: keyof typeof phones, options: PartyOptions): SippOptions => sippAt(net, phones[who], PHONE_PORT, options);

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('mid-call signalling', () => {
  const tandem = useTandem(files, net);

  /** Alice calls `exten` and sends one DTMF INFO (Signal=5, Duration=200) once the call is up. */
  function aliceSendsInfo(exten: string): Promise<Awaited<ReturnType<typeof runSipp>>> {
    return runSipp(phone('alice', { scenario: scenario('dialogs-uac-send-info.xml'), args: ['-s', exten, '-set', 'rtpport', '7000', '-d', '1000'] }));
  }

  /** Alice sends a DTMF INFO to `callee`, which expects an INFO matching `type` and `body`. */
  async function expectRelayedInfo(callee: 'bob' | 'dave', rtpPort: number, type: string, body: string): Promise<string> {
    const expecting = startSipp(
      phone(callee, {
        scenario: scenarioWith(scenario('dialogs-uas-expect-info.xml'), { EXPECT_TYPE: type, EXPECT_BODY: body }),
        args: ['-set', 'rtpport', String(rtpPort)],
      }),
    );
    await settle(300);
    const alice = await aliceSendsInfo(callee);
    const result = await expecting.done;
    expect(alice.exitCode, alice.messages).toBe(0);
    expect(result.exitCode, result.messages + result.errors).toBe(0);
    return result.messages;
  }

  it('relays an INFO digit to a dtmfmode=info callee as an application/dtmf-relay INFO', async () => {
    const messages = await expectRelayedInfo('bob', 7002, 'application/dtmf-relay', 'Signal=5');
    expect(messages).toMatch(/Signal=5\r?\nDuration=200/);
  });

  it('relays an INFO digit to a dtmfmode=shortinfo callee as application/dtmf', async () => {
    await expectRelayedInfo('dave', 7006, 'application/dtmf$', '^5');
  });

  it('relays an INFO digit to a dtmfmode=rfc2833 callee as RFC 4733 events in its RTP', async () => {
    await using carolRtp = await RtpPeer.bind(phones.carol, 7004);
    const carol = startSipp(phone('carol', { scenario: scenario('dialogs-uas-answer-2833.xml'), args: ['-set', 'rtpport', '7004'] }));
    await settle(300);
    const alice = await aliceSendsInfo('carol');
    const carolResult = await carol.done;
    expect(alice.exitCode, alice.messages).toBe(0);
    expect(carolResult.exitCode, carolResult.messages).toBe(0);
    // RFC 4733: payload type 101 as carol negotiated it, event 5, end bit on the last packets.
    const events = carolRtp.received.filter((packet) => ((packet[1] ?? 0) & 0x7f) === 101);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((packet) => packet[12] === 5)).toBe(true);
    expect(events.some((packet) => ((packet[13] ?? 0) & 0x80) !== 0)).toBe(true);
  });

  it('sends SendDTMF to a dtmfmode=info device as one INFO per digit', async () => {
    const alice = await runSipp(phone('alice', { scenario: scenario('dialogs-uac-receive-info.xml'), args: ['-s', 'senddtmf', '-set', 'rtpport', '7000'] }));
    expect(alice.exitCode, alice.messages + alice.errors).toBe(0);
  });

  it('answers in-dialog OPTIONS, UPDATE, INFO and re-INVITEs as chan_sip does', async () => {
    const alice = await runSipp(phone('alice', { scenario: scenario('dialogs-uac-in-dialog-requests.xml'), args: ['-s', 'methods', '-set', 'rtpport', '7000'] }));
    expect(alice.exitCode, alice.messages + alice.errors).toBe(0);
    const after = await tandem().rx('core show channels');
    expect(after.output).toContain('0 active channels');
  });

  it('still answers the requests of a call it ended moments ago as chan_sip does (no channel any more)', async () => {
    const alice = await runSipp(phone('alice', { scenario: scenario('dialogs-uac-after-bye.xml'), args: ['-s', 'methods', '-set', 'rtpport', '7000'] }));
    expect(alice.exitCode, alice.messages + alice.errors).toBe(0);
    const after = await tandem().rx('core show channels');
    expect(after.output).toContain('0 active channels');
  });
});
