/**
 * Qualify end to end: a registered phone with `qualify=` answers Tandem's OPTIONS (OK), stops
 * answering (UNREACHABLE: DEVICE_STATE and its hint say UNAVAILABLE, and a call to it fails
 * with DIALSTATUS=CHANUNAVAIL and 503 to the caller, as chan_sip's create_addr() refusal plus
 * autofallthrough give), then answers again (OK, and it can be called).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSipp, scenarioWith, startSipp, type SippRun } from '@tandem/test-support';
import { phonesSipConf, sippPhone } from './phones.js';
import { rtpConf, scenario, sippAt, useTandem } from './test-server.js';

// Addresses 127.0.35.20-39 belong to this file.
const SERVER = '127.0.35.20';
const WATCHED = '127.0.35.21';
const ALICE = '127.0.35.22';
const SIP_PORT = 5161;
/** Where the watched phone takes requests (its registered Contact). */
const WATCHED_PORT = 5181;
/** Where it registers from. */
const WATCHED_REGISTER_PORT = 5182;
const ALICE_PORT = 5183;
const net = { server: SERVER, sipPort: SIP_PORT };

const files = {
  'sip.conf': phonesSipConf(net, {
    alice: '',
    // OPTIONS every second while reachable (chan_sip retries every 10 s once unreachable);
    // no answer within 2 x 200 ms is UNREACHABLE.
    watched: 'qualify=200\nqualifyfreq=1\n',
  }),
  'extensions.conf': `
[phones]
exten => watched,hint,SIP/watched
exten => 300,1,Dial(SIP/watched,5)
 same => n,Set(DB(dial/status)=\${DIALSTATUS})

[probe]
exten => state,1,Set(DB(state/device)=\${DEVICE_STATE(SIP/watched)})
 same => n,Set(DB(state/hint)=\${EXTENSION_STATE(watched@phones)})
 same => n,Hangup()
`,
  'rtp.conf': rtpConf(23550, 23590),
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('qualify: OK, UNREACHABLE and back', () => {
  const tandem = useTandem(files, net);
  let watched: SippRun | undefined;

  /** The watched phone's socket: answers OPTIONS (sipp -aa) and takes calls, logging `ruri=<user>`. */
  const startWatchedPhone = (): SippRun =>
    startSipp(sippAt(net, WATCHED, WATCHED_PORT, {
      scenario: scenario('uas-answer-log-ruri.xml'),
      calls: 1_000_000,
      timeoutMs: 120_000,
      args: ['-aa', '-set', 'rtpport', '7200'],
    }));

  /** Waits until `sip show peers` gives the watched peer a status matching `pattern`; returns its row. */
  const waitForStatus = async (pattern: RegExp, timeoutMs: number): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    let row = '';
    while (Date.now() < deadline) {
      const { output } = await tandem().rx('sip show peers');
      row = output.split('\n').find((line) => line.startsWith('watched/')) ?? '';
      if (pattern.test(row)) return row;
      await sleep(200);
    }
    return row;
  };

  /** DEVICE_STATE(SIP/watched) and EXTENSION_STATE(watched@phones), read by running [probe] on a Local channel. */
  const deviceAndHintState = async (): Promise<{ device: string; hint: string }> => {
    await tandem().rx('database deltree state');
    await tandem().rx('channel originate Local/state@probe application Wait 1');
    const deadline = Date.now() + 5000;
    let shown = '';
    while (Date.now() < deadline) {
      shown = (await tandem().rx('database show state')).output;
      if (shown.includes('/state/hint')) break;
      await sleep(100);
    }
    const value = (key: string): string => shown.match(new RegExp(`/state/${key}\\s*:\\s*(\\S+)`))?.[1] ?? '';
    return { device: value('device'), hint: value('hint') };
  };

  /** alice calls 300 (Dial(SIP/watched)): answered and hung up by alice, or refused with 503. */
  const aliceCallsWatched = (options: { expectAnswer: boolean }) =>
    runSipp(
      sippPhone(net, 'alice', ALICE, ALICE_PORT)({
        scenario: options.expectAnswer ? scenario('uac-call.xml') : scenarioWith(scenario('uac-expect-final.xml'), { EXPECTED_STATUS: '503' }),
        args: ['-s', '300', '-set', 'rtpport', '7202', '-d', '500'],
      }),
    );

  beforeAll(async () => {
    watched = startWatchedPhone();
    await sleep(300);
    const registered = await runSipp(sippAt(net, WATCHED, WATCHED_REGISTER_PORT, {
      scenario: scenario('register-contact-port.xml'),
      args: ['-s', 'watched', '-au', 'watched', '-ap', 'watchedpw', '-set', 'contactport', String(WATCHED_PORT)],
    }));
    expect(registered.exitCode, registered.messages).toBe(0);
  });

  afterAll(async () => {
    watched?.kill();
  });

  it('is OK while the phone answers OPTIONS, with DEVICE_STATE and hint NOT_INUSE', async () => {
    const row = await waitForStatus(/OK \(\d+ ms\)/, 5000);
    expect(row).toMatch(new RegExp(`^watched/watched\\s+127\\.0\\.35\\.21\\s+D\\s.*\\s${WATCHED_PORT}\\s+OK \\(\\d+ ms\\)`));
    const { output } = await tandem().rx('sip show peers');
    expect(output).toContain('2 sip peers [Monitored: 1 online, 0 offline Unmonitored: 0 online, 1 offline]');
    expect(await deviceAndHintState()).toEqual({ device: 'NOT_INUSE', hint: 'NOT_INUSE' });
  });

  it('turns UNREACHABLE when the phone stops answering; calls to it fail with CHANUNAVAIL', async () => {
    watched?.kill();
    await watched?.done;
    watched = undefined;
    // Next OPTIONS within qualifyfreq (1 s), unanswered for 2 x maxms.
    expect(await waitForStatus(/UNREACHABLE/, 5000)).toMatch(/\sUNREACHABLE\s*$/);
    const { output } = await tandem().rx('sip show peers');
    expect(output).toContain('[Monitored: 0 online, 1 offline');
    expect(await deviceAndHintState()).toEqual({ device: 'UNAVAILABLE', hint: 'UNAVAILABLE' });

    const call = await aliceCallsWatched({ expectAnswer: false });
    expect(call.exitCode, call.messages).toBe(0);
    expect((await tandem().rx('database get dial status')).output).toContain('Value: CHANUNAVAIL');
  });

  it('is OK again once the phone answers, and takes calls', async () => {
    watched = startWatchedPhone();
    // chan_sip tries an unreachable peer again every 10 s.
    expect(await waitForStatus(/OK \(\d+ ms\)/, 15_000)).toMatch(/OK \(\d+ ms\)/);
    expect(await deviceAndHintState()).toEqual({ device: 'NOT_INUSE', hint: 'NOT_INUSE' });

    const call = await aliceCallsWatched({ expectAnswer: true });
    expect(call.exitCode, call.messages).toBe(0);
    expect(await watched.waitForLog(/ruri=watched/, 2000)).toBeDefined();
  });
});
