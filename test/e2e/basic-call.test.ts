/**
 * The foundation call: two phones register with digest authentication, call each other
 * through the dialplan, and their RTP is relayed by the native addon. Every party is a real
 * sipp process (signalling) or a real UDP socket (RTP) on loopback.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { RtpPeer, runSipp, scenarioWith, startSipp, type SippOptions } from '@tandem/test-support';
import { phonesSipConf, registerPhone, sippPhone } from './phones.js';
import { PHONE_PORT, SIP_PORT, rtpConf, scenario, sippAt, useTandem } from './test-server.js';

const SERVER = '127.0.20.1';
const ALICE = '127.0.20.2';
const BOB = '127.0.20.3';
const net = { server: SERVER, sipPort: SIP_PORT };

const files = {
  'sip.conf': phonesSipConf(net, { alice: '', bob: '' }),
  'extensions.conf': `
[phones]
exten => 200,1,Dial(SIP/bob,20)
exten => 201,1,Dial(SIP/bob,2)
exten => 201,n,Hangup()
`,
  'rtp.conf': rtpConf(21000),
};

/** sipp as a phone: `who` selects its address; credentials of that phone. */
const PHONES = { alice: sippPhone(net, 'alice', ALICE, PHONE_PORT), bob: sippPhone(net, 'bob', BOB, PHONE_PORT) };
const phone = (who: 'alice' | 'bob', options: Omit<SippOptions, 'remote' | 'localAddress' | 'localPort'>): SippOptions => PHONES[who](options);

describe('foundation: register, call, relay', () => {
  const tandem = useTandem(files, net);

  beforeAll(async () => {
    for (const who of ['alice', 'bob'] as const) await registerPhone(PHONES[who], who);
  });

  it('lists both registered phones with address and port in sip show peers', async () => {
    const { code, output } = await tandem().rx('sip show peers');
    expect(code).toBe(0);
    expect(output).toMatch(new RegExp(`^alice/alice\\s+${ALICE.replace(/\./g, '\\.')}\\s+D\\s.*\\s${PHONE_PORT}\\s+Unmonitored`, 'm'));
    expect(output).toMatch(new RegExp(`^bob/bob\\s+${BOB.replace(/\./g, '\\.')}\\s+D\\s.*\\s${PHONE_PORT}\\s+Unmonitored`, 'm'));
    expect(output).toContain('2 sip peers [Monitored: 0 online, 0 offline Unmonitored: 2 online, 0 offline]');
  });

  it('refuses a wrong password with 403', async () => {
    const result = await runSipp(sippAt(net, ALICE, 5070, {
      scenario: scenario('register-wrong-password.xml'),
      args: ['-s', 'alice', '-au', 'alice', '-ap', 'not-the-secret'],
    }));
    expect(result.exitCode, result.messages).toBe(0);
  });

  it('relays RTP both ways between alice and bob, and BYE from the caller ends both legs', async () => {
    await using aliceRtp = await RtpPeer.bind(ALICE, 7000);
    await using bobRtp = await RtpPeer.bind(BOB, 7002);
    const bob = startSipp(phone('bob', { scenario: scenario('uas-answer.xml'), args: ['-set', 'rtpport', '7002'] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alice = startSipp(phone('alice', { scenario: scenario('uac-call.xml'), args: ['-s', '200', '-set', 'rtpport', '7000', '-d', '3000'] }));

    const towardAlice = await alice.waitForLog(/relay=(\d+)/);
    const towardBob = await bob.waitForLog(/relay=(\d+)/);
    expect(towardAlice, alice.logs()).toBeDefined();
    expect(towardBob, bob.logs()).toBeDefined();
    const channels = await tandem().rx('core show channels');
    expect(channels.output).toMatch(/SIP\/alice-[0-9a-f]{8}/);
    expect(channels.output).toMatch(/SIP\/bob-[0-9a-f]{8}/);

    // Each phone sends 50 packets to the relay port Tandem gave it; the other phone's socket counts them.
    await Promise.all([
      aliceRtp.sendStream(SERVER, Number(towardAlice?.[1]), 50),
      bobRtp.sendStream(SERVER, Number(towardBob?.[1]), 50, 20, 0x5678),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bobRtp.received.length).toBe(50);
    expect(aliceRtp.received.length).toBe(50);
    // The relay forwards the payload untouched (same codec on both legs).
    expect(bobRtp.received[0]?.subarray(12)).toEqual(Buffer.alloc(160, 0xff));

    const [aliceResult, bobResult] = await Promise.all([alice.done, bob.done]);
    expect(aliceResult.exitCode, aliceResult.messages).toBe(0);
    expect(bobResult.exitCode, bobResult.messages).toBe(0);
    const after = await tandem().rx('core show channels');
    expect(after.output).toContain('0 active channels');
  });

  it('passes a BYE from the callee to the caller', async () => {
    const bob = startSipp(phone('bob', { scenario: scenario('uas-answer-then-bye.xml'), args: ['-set', 'rtpport', '7002', '-d', '1000'] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alice = await runSipp(phone('alice', { scenario: scenario('uac-call-remote-bye.xml'), args: ['-s', '200', '-set', 'rtpport', '7000'] }));
    const bobResult = await bob.done;
    expect(alice.exitCode, alice.messages).toBe(0);
    expect(bobResult.exitCode, bobResult.messages).toBe(0);
  });

  it('passes a CANCEL while ringing to the callee and answers the caller 487', async () => {
    const bob = startSipp(phone('bob', { scenario: scenario('uas-ring-cancel.xml') }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alice = await runSipp(phone('alice', { scenario: scenario('uac-cancel.xml'), args: ['-s', '200', '-set', 'rtpport', '7000'] }));
    const bobResult = await bob.done;
    expect(alice.exitCode, alice.messages).toBe(0);
    expect(bobResult.exitCode, bobResult.messages).toBe(0);
  });

  it('answers 404 for an extension that does not exist', async () => {
    const alice = await runSipp(phone('alice', { scenario: scenarioWith(scenario('uac-expect-final.xml'), { EXPECTED_STATUS: '404' }), args: ['-s', '999', '-set', 'rtpport', '7000'] }));
    expect(alice.exitCode, alice.messages).toBe(0);
  });

  it('answers 486 when the callee is busy', async () => {
    const bob = startSipp(phone('bob', { scenario: scenario('uas-busy.xml') }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alice = await runSipp(phone('alice', { scenario: scenarioWith(scenario('uac-expect-final.xml'), { EXPECTED_STATUS: '486' }), args: ['-s', '200', '-set', 'rtpport', '7000'] }));
    const bobResult = await bob.done;
    expect(alice.exitCode, alice.messages).toBe(0);
    expect(bobResult.exitCode, bobResult.messages).toBe(0);
  });

  it('cancels the callee when Dial times out and declines the caller (603, reference §10.2)', async () => {
    const bob = startSipp(phone('bob', { scenario: scenario('uas-ring-cancel.xml') }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alice = await runSipp(phone('alice', { scenario: scenarioWith(scenario('uac-expect-final.xml'), { EXPECTED_STATUS: '603' }), args: ['-s', '201', '-set', 'rtpport', '7000'] }));
    const bobResult = await bob.done;
    expect(alice.exitCode, alice.messages).toBe(0);
    expect(bobResult.exitCode, bobResult.messages).toBe(0);
  });
});
