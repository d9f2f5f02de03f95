/**
 * Peer call counters and device state (chan_sip update_call_counter(), sip_peer_hold(),
 * sip_devicestate(), sip_show_inuse()): while Tandem's call to bob rings, bob's hint is ringing
 * (dialog-info "early", pidf "Ringing") and `sip show inuse` counts it ringing; once answered it
 * is in use ("confirmed", "On the phone"); bob's re-INVITE with a=sendonly puts it on hold
 * (notifyhold=yes: pidf "On hold", dialog-info with +sip.rendering "no"); after bob's BYE the
 * hint is idle again. A second call while bob is at its call-limit gets busy. Phones are sipp
 * processes on 127.0.46.x.
 */
import { describe, expect, it } from 'vitest';
import { startSipp, type SippRun } from '@tandem/test-support';
import { callExpectingFailure, settle, sipConf, startAnsweredCall, staticPhone, type DialplanNet } from './dialplan-support.js';
import { PHONE_PORT, SIP_PORT, rtpConf, scenario, sippAt, useTandem } from './test-server.js';

const SERVER = '127.0.46.1';
const ALICE = '127.0.46.2';
const BOB = '127.0.46.3';
const DIALOG_WATCHER = '127.0.46.4';
const PIDF_WATCHER = '127.0.46.5';
const net: DialplanNet = { server: SERVER, sipPort: SIP_PORT, caller: ALICE, callee: BOB, phonePort: PHONE_PORT };

const files = {
  // notifyhold=yes lands in [general]: the devices follow it.
  'sip.conf': sipConf(
    net,
    `notifyhold=yes

${staticPhone('alice', ALICE, PHONE_PORT)}
${staticPhone('bob', BOB, PHONE_PORT, 'call-limit=1')}
[watcher]
type=friend
host=dynamic
context=office
subscribecontext=blf
`,
  ),
  'extensions.conf': '[office]\nexten => 200,1,Dial(SIP/bob,20)\n\n[blf]\nexten => 201,hint,SIP/bob\n',
  'rtp.conf': rtpConf(46_000),
};

/** A watcher of bob's hint (201) for `event` in `accept`, from its own address. */
function watch(address: string, event: string, accept: string): SippRun {
  return startSipp(sippAt(net, address, PHONE_PORT, {
    scenario: scenario('counters-uac-watch.xml'),
    args: ['-s', '201', '-set', 'caller', 'watcher', '-set', 'event', event, '-set', 'accept', accept],
    timeoutMs: 40_000,
  }));
}

/** The `sip show inuse` line of bob: `in use/ringing/on hold` and the limit. */
async function bobInUse(rx: (command: string) => Promise<{ output: string }>): Promise<string | undefined> {
  const { output } = await rx('sip show inuse');
  return /^bob\s+(\S+)\s+(\S+)/m.exec(output)?.slice(1, 3).join(' ');
}

describe('peer call counters and device state', () => {
  const tandem = useTandem(files, net);

  it('shows a call to bob ringing, in use, on hold and idle again in hints, NOTIFYs and sip show inuse', async () => {
    const rx = (command: string) => tandem().rx(command);
    expect(await bobInUse(rx)).toBe('0/0/0 1');
    const dialogWatcher = watch(DIALOG_WATCHER, 'dialog', 'application/dialog-info+xml');
    const pidfWatcher = watch(PIDF_WATCHER, 'presence', 'application/pidf+xml');
    expect(await dialogWatcher.waitForLog(/body=<state>terminated<\/state>/)).toBeDefined();
    expect(await pidfWatcher.waitForLog(/body=<note>Ready<\/note>/)).toBeDefined();

    const bob = startSipp(sippAt(net, BOB, PHONE_PORT, {
      scenario: scenario('counters-uas-ring-hold.xml'),
      args: ['-set', 'rtpport', '7002', '-mi', BOB, '-d', '1500'],
      timeoutMs: 40_000,
    }));
    await settle();
    const alice = startAnsweredCall(net, { exten: '200', from: 'alice' });

    expect(await bob.waitForLog(/^ringing$/m)).toBeDefined();
    expect(await bobInUse(rx)).toBe('1/1/0 1');
    // bob is at its call-limit: another call to him is refused as busy (Dial gets BUSY -> 486).
    const second = await callExpectingFailure({ ...net, phonePort: PHONE_PORT + 2 }, { exten: '200', from: 'alice' }, 486);
    expect(second.exitCode, second.errors + second.messages).toBe(0);

    expect(await bob.waitForLog(/^held$/m)).toBeDefined();
    expect(await bobInUse(rx)).toBe('1/0/1 1');

    const bobResult = await bob.done;
    expect(bobResult.exitCode, bobResult.errors + bobResult.messages).toBe(0);
    const aliceResult = await alice.done;
    expect(aliceResult.exitCode, aliceResult.errors + aliceResult.messages).toBe(0);

    const dialog = await dialogWatcher.done;
    expect(dialog.exitCode, dialog.errors + dialog.messages).toBe(0);
    const dialogStates = [...dialog.logs.matchAll(/^body=(.*)$/gm)].map((match) => match[1]);
    expect(dialogStates).toEqual([
      '<state>terminated</state>',
      '<state>early</state>',
      '<state>confirmed</state>',
      '<state>confirmed</state>pvalue="no"',
      '<state>confirmed</state>',
      '<state>terminated</state>',
    ]);
    const pidf = await pidfWatcher.done;
    expect(pidf.exitCode, pidf.errors + pidf.messages).toBe(0);
    const notes = [...pidf.logs.matchAll(/^body=(.*)$/gm)].map((match) => match[1]);
    expect(notes).toEqual(['<note>Ready</note>', '<note>Ringing</note>', '<note>On the phone</note>', '<note>On hold</note>', '<note>On the phone</note>', '<note>Ready</note>']);
    expect(await bobInUse(rx)).toBe('0/0/0 1');
  });
});
