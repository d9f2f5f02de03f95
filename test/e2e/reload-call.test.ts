/**
 * sip.conf changed under a running server with registered phones and a call in progress:
 * `-rx "sip reload"` keeps the call (RTP still relayed both ways, BYE still ends it), keeps
 * the registrations, lets a new peer register and applies changed device settings to new
 * calls only; a broken sip.conf is refused with file:line on the CLI and on SIGHUP while
 * everything keeps running. Phones are sipp processes, RTP real UDP sockets (block 127.0.34.1-4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtpPeer, runSipp, scenarioWith, sipOptionsPing, startSipp, startTandem, type SippOptions, type TandemProcess } from '@tandem/test-support';
import { phonesSipConf, registerPhone, sippPhone } from './phones.js';
import { PHONE_PORT, SIP_PORT, scenario } from './test-server.js';

const SERVER = '127.0.34.1';
const ALICE = '127.0.34.2';
const BOB = '127.0.34.3';
const CAROL = '127.0.34.4';
/** A second port on alice's address, for calls made while her first sipp is still in a call. */
const ALICE_SECOND_PORT = 5164;

type Who = 'alice' | 'bob' | 'carol';
const server = { server: SERVER, sipPort: SIP_PORT };
const PHONES: Record<Who, ReturnType<typeof sippPhone>> = {
  alice: sippPhone(server, 'alice', ALICE, PHONE_PORT),
  bob: sippPhone(server, 'bob', BOB, PHONE_PORT),
  carol: sippPhone(server, 'carol', CAROL, PHONE_PORT),
};
const phone = (who: Who, options: Parameters<ReturnType<typeof sippPhone>>[0]): SippOptions => PHONES[who](options);
const register = (who: Who): Promise<void> => registerPhone(PHONES[who], who);

const sipConf = (options: { carol?: boolean; aliceContext?: string; broken?: boolean } = {}): string =>
  phonesSipConf(server, {
    alice: options.aliceContext === undefined ? '' : `context=${options.aliceContext}\n`,
    bob: '',
    ...(options.carol ? { carol: '' } : {}),
    ...(options.broken ? { dave: 'qualify=sometimes\n' } : {}),
  });

const files = {
  'sip.conf': sipConf(),
  'extensions.conf': `
[phones]
exten => 200,1,Dial(SIP/bob,20)

[limited]
exten => 300,1,Hangup()
`,
  'rtp.conf': '[general]\nrtpstart=22000\nrtpend=22100\n',
};

/** `caller` dials 200 (Dial(SIP/bob)); bob answers 486, which must reach the caller. */
async function callBusyBob(caller: Who): Promise<void> {
  const bob = startSipp(phone('bob', { scenario: scenario('uas-busy.xml') }));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const call = await runSipp(phone(caller, { scenario: scenarioWith(scenario('uac-expect-final.xml'), { EXPECTED_STATUS: '486' }), args: ['-s', '200', '-set', 'rtpport', '7106'] }));
  const bobResult = await bob.done;
  expect(call.exitCode, call.messages).toBe(0);
  expect(bobResult.exitCode, bobResult.messages).toBe(0);
}

describe('sip reload with a call in progress', () => {
  let tandem: TandemProcess;

  beforeAll(async () => {
    tandem = await startTandem({ files, sipAddress: SERVER, sipPort: SIP_PORT });
    await register('alice');
    await register('bob');
  });

  afterAll(async () => {
    await tandem?.[Symbol.asyncDispose]();
  });

  it('keeps the call, its media and the registrations, takes a new peer, and applies new settings to new calls only', async () => {
    await using aliceRtp = await RtpPeer.bind(ALICE, 7100);
    await using bobRtp = await RtpPeer.bind(BOB, 7102);
    const bob = startSipp(phone('bob', { scenario: scenario('uas-answer.xml'), args: ['-set', 'rtpport', '7102'] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alice = startSipp(phone('alice', { scenario: scenario('uac-call.xml'), args: ['-s', '200', '-set', 'rtpport', '7100', '-d', '8000'] }));
    const towardAlice = Number((await alice.waitForLog(/relay=(\d+)/))?.[1]);
    const towardBob = Number((await bob.waitForLog(/relay=(\d+)/))?.[1]);
    expect(towardAlice).toBeGreaterThan(0);
    expect(towardBob).toBeGreaterThan(0);

    const exchange = async (count: number, ssrcBase: number): Promise<void> => {
      await Promise.all([aliceRtp.sendStream(SERVER, towardAlice, count, 20, ssrcBase), bobRtp.sendStream(SERVER, towardBob, count, 20, ssrcBase + 1)]);
      await new Promise((resolve) => setTimeout(resolve, 200));
    };
    await exchange(20, 0x1000);
    expect(bobRtp.received.length).toBe(20);
    expect(aliceRtp.received.length).toBe(20);

    // The edit: a new peer, and alice moved to another context.
    tandem.confDir.write('sip.conf', sipConf({ carol: true, aliceContext: 'limited' }));
    const reload = await tandem.rx('sip reload');
    expect(reload.code, reload.output).toBe(0);
    expect(reload.output).toContain('peers: 2 kept, 1 added (carol)');
    expect(reload.output).toContain('Reloaded.');

    // The call is still there and its media still flows both ways.
    const channels = await tandem.rx('core show channels');
    expect(channels.output).toMatch(/SIP\/alice-[0-9a-f]{8}/);
    expect(channels.output).toMatch(/SIP\/bob-[0-9a-f]{8}/);
    await exchange(20, 0x2000);
    expect(bobRtp.received.length).toBe(40);
    expect(aliceRtp.received.length).toBe(40);

    // Registrations stayed; carol registers.
    const peers = await tandem.rx('sip show peers');
    expect(peers.output).toMatch(new RegExp(`^alice/alice\\s+${ALICE.replace(/\./g, '\\.')}\\s+D\\s.*\\s${PHONE_PORT}\\s`, 'm'));
    expect(peers.output).toMatch(new RegExp(`^bob/bob\\s+${BOB.replace(/\./g, '\\.')}\\s+D\\s.*\\s${PHONE_PORT}\\s`, 'm'));
    await register('carol');
    expect((await tandem.rx('sip show peers')).output).toMatch(new RegExp(`^carol/carol\\s+${CAROL.replace(/\./g, '\\.')}\\s`, 'm'));

    // A new call from alice runs in her new context, where 200 does not exist.
    const rerouted = await runSipp(
      phone('alice', { scenario: scenarioWith(scenario('uac-expect-final.xml'), { EXPECTED_STATUS: '404' }), localPort: ALICE_SECOND_PORT, args: ['-s', '200', '-set', 'rtpport', '7104'] }),
    );
    expect(rerouted.exitCode, rerouted.messages).toBe(0);

    // The call made before the reload ends normally: alice's BYE reaches bob.
    const [aliceResult, bobResult] = await Promise.all([alice.done, bob.done]);
    expect(aliceResult.exitCode, aliceResult.messages).toBe(0);
    expect(bobResult.exitCode, bobResult.messages).toBe(0);
    expect((await tandem.rx('core show channels')).output).toContain('0 active channels');
  });

  it('refuses a broken sip.conf, shows the error with file and line, and keeps serving', async () => {
    tandem.confDir.write('sip.conf', sipConf({ carol: true, broken: true }));
    const reload = await tandem.rx('sip reload');
    expect(reload.code).not.toBe(0);
    expect(reload.output).toContain('Reload failed; the running configuration is unchanged.');
    expect(reload.output).toMatch(/sip\.conf:\d+:\d+: error: .*qualify/);

    // The previous configuration is still in force: alice still in 'limited', carol still known.
    expect(await sipOptionsPing(SERVER, SIP_PORT)).toMatch(/^SIP\/2\.0 \d{3}/);
    const peers = await tandem.rx('sip show peers');
    expect(peers.output).toContain('3 sip peers');
    expect(peers.output).not.toContain('dave');
    // Calls still go through: carol calls 200, bob is busy.
    await callBusyBob('carol');
  });

  it('reloads on SIGHUP: a broken configuration is logged and refused, a fixed one is applied', async () => {
    tandem.signal('SIGHUP');
    await expect.poll(() => tandem.output(), { timeout: 5000 }).toMatch(/reload \(SIGHUP\) refused/);
    expect(tandem.output()).toMatch(/sip\.conf:\d+:\d+: error: .*qualify/);
    expect(await sipOptionsPing(SERVER, SIP_PORT)).toMatch(/^SIP\/2\.0 \d{3}/);

    tandem.confDir.write('sip.conf', sipConf({ carol: true }));
    tandem.signal('SIGHUP');
    await expect.poll(() => tandem.output(), { timeout: 5000 }).toMatch(/configuration reloaded \(SIGHUP\)/);
    // alice is back in 'phones': 200 rings bob again.
    await callBusyBob('alice');
  });
});
