/**
 * directmedia across the B2BUA, as chan_sip's RTP glue and Asterisk's native RTP bridge run it:
 * once alice's call to bob is bridged, both legs are re-INVITEd to send their media to each
 * other; when bob holds (a=sendonly) his answer says recvonly and alice is brought back to
 * Tandem's relay — where she hears music on hold meanwhile, the bundled default class, as
 * no musiconhold.conf is given — when he resumes she is pointed at him again, and when he hangs up she gets her
 * media back through Tandem before the BYE. A T.38 re-INVITE from bob is passed to alice with
 * Tandem's UDPTL relay in both SDPs, and fax datagrams really cross the relay both ways. When
 * Dial listens for DTMF features, or a device's directmediadeny refuses the other party's
 * address, nobody is re-INVITEd: the media stays on the relay.
 */
import { createSocket, type Socket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RtpPeer, repoRoot, startSipp, type SippRun } from '@tandem/test-support';
import { PHONE_PORT, SIP_PORT, rtpConf, scenario, sippAt, useTandem } from './test-server.js';

const SERVER = '127.0.45.1';
const net = { server: SERVER, sipPort: SIP_PORT };
const ALICE = '127.0.45.2';
const BOB = '127.0.45.3';
const CAROL = '127.0.45.4';
const ALICE_RTP = 45010;
const BOB_RTP = 45012;
const ALICE_UDPTL = 45020;
const BOB_UDPTL = 45022;

const files = {
  'sip.conf': `
[general]
bindaddr=${SERVER}
bindport=${SIP_PORT}
allowguest=no

[phone](!)
type=friend
port=${PHONE_PORT}
insecure=invite
context=direct
disallow=all
allow=ulaw
directmedia=yes
t38pt_udptl=yes

[alice](phone)
host=${ALICE}

[bob](phone)
host=${BOB}

; Carol's media may not go straight to the other phones (chan_sip sip_allow_rtp_remote()).
[carol](phone)
host=${CAROL}
directmediadeny=127.0.45.0/24
`,
  'extensions.conf': `
[direct]
exten => bob,1,Dial(SIP/bob)
exten => bob-features,1,Dial(SIP/bob,,tT)
exten => carol,1,Dial(SIP/carol)
`,
  'rtp.conf': rtpConf(45200),
};

/** Runs `file` as the phone at `address` with sipp variables (`-set name value`) and extra arguments. */
function runPhone(address: string, file: string, variables: Record<string, number | string>, extra: readonly string[] = []): SippRun {
  const args = [...extra, ...Object.entries(variables).flatMap(([name, value]) => ['-set', name, String(value)])];
  return startSipp(sippAt(net, address, PHONE_PORT, { timeoutMs: 30_000, scenario: scenario(file), args }));
}

/** The `<log>` lines of a scenario that match `pattern`, as their capture groups. */
function logged(logs: string, pattern: RegExp): string[][] {
  return [...logs.matchAll(new RegExp(pattern.source, 'g'))].map((match) => match.slice(1));
}

/** A UDP socket standing in for a fax machine's UDPTL port. */
async function udptlPort(address: string, port: number): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => resolve());
  });
  return socket;
}

function nextDatagram(socket: Socket): Promise<{ data: string; from: string }> {
  return new Promise((resolve) => socket.once('message', (data, info) => resolve({ data: data.toString(), from: `${info.address}:${info.port}` })));
}

describe('directmedia and T.38 across the B2BUA', () => {
  const tandem = useTandem(files, net);

  it('points both legs at each other, brings alice back while bob holds, and back to the relay when bob hangs up', { timeout: 40_000 }, async () => {
    await using aliceRtp = await RtpPeer.bind(ALICE, ALICE_RTP);
    const bob = runPhone(BOB, 'direct-uas-bob-hold.xml', { rtpport: BOB_RTP });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alice = runPhone(ALICE, 'direct-uac-alice.xml', { rtpport: ALICE_RTP }, ['-s', 'bob']);
    const [aliceResult, bobResult] = await Promise.all([alice.done, bob.done]);
    expect(aliceResult.exitCode, aliceResult.messages + aliceResult.errors).toBe(0);
    expect(bobResult.exitCode, bobResult.messages + bobResult.errors).toBe(0);

    expect(logged(bobResult.logs, /bob reinvite (\S+) (\d+)/)).toEqual([[ALICE, String(ALICE_RTP)]]);
    // chan_sip add_sdp(): a sendonly hold is answered recvonly, the resume sendrecv.
    expect(logged(bobResult.logs, /bob (hold|resume) answered (\w+)/)).toEqual([
      ['hold', 'recvonly'],
      ['resume', 'sendrecv'],
    ]);
    const aliceTargets = logged(aliceResult.logs, /alice reinvite (\S+) (\d+)/);
    expect(aliceTargets.map(([address]) => address)).toEqual([BOB, SERVER, BOB, SERVER]);
    expect(aliceTargets[0]?.[1]).toBe(String(BOB_RTP));
    expect(aliceTargets[2]?.[1]).toBe(String(BOB_RTP));
    // Back on the relay: alice's own leg's RTP port in Tandem's range, both times the same.
    const relayPort = Number(aliceTargets[1]?.[1]);
    expect(relayPort).toBeGreaterThanOrEqual(45200);
    expect(relayPort).toBeLessThanOrEqual(45300);
    expect(aliceTargets[3]?.[1]).toBe(String(relayPort));
    // While bob held, Tandem played alice the music (her mohinterpret, default: the bundled tune), bit-exact.
    const music = Buffer.concat(aliceRtp.received.map((packet) => packet.subarray(12)));
    expect(music.length).toBeGreaterThanOrEqual(160 * 5);
    const tune = readFileSync(join(repoRoot, 'packages/media/sounds/moh/tandem-lullaby.ulaw'));
    expect(music.equals(tune.subarray(0, music.length))).toBe(true);

    const after = await tandem().rx('core show channels');
    expect(after.output).toContain('0 active channels');
  });

  for (const [why, extension, callee, address] of [
    ['Dial listens for DTMF features (t/T)', 'bob-features', 'bob', BOB],
    ["the callee's directmediadeny refuses the caller's address", 'carol', 'carol', CAROL],
  ] as const) {
    it(`keeps the media on the relay when ${why}`, { timeout: 30_000 }, async () => {
      // Either phone fails on a re-INVITE: it is an unexpected message in both scenarios.
      const far = runPhone(address, 'uas-answer.xml', { rtpport: BOB_RTP, caller: callee });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const alice = runPhone(ALICE, 'relay-uac-alice.xml', { rtpport: ALICE_RTP }, ['-s', extension]);
      const [aliceResult, farResult] = await Promise.all([alice.done, far.done]);
      expect(aliceResult.exitCode, aliceResult.messages + aliceResult.errors).toBe(0);
      expect(farResult.exitCode, farResult.messages + farResult.errors).toBe(0);
      expect(aliceResult.messages).not.toMatch(/^INVITE sip:alice/m);
    });
  }

  it('passes a T.38 re-INVITE to the other leg and relays the UDPTL both ways', { timeout: 40_000 }, async () => {
    await using faxes = {
      alice: await udptlPort(ALICE, ALICE_UDPTL),
      bob: await udptlPort(BOB, BOB_UDPTL),
      async [Symbol.asyncDispose]() {
        this.alice.close();
        this.bob.close();
      },
    };
    const bob = runPhone(BOB, 't38-uas-bob.xml', { rtpport: BOB_RTP, udptlport: BOB_UDPTL });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alice = runPhone(ALICE, 't38-uac-alice.xml', { rtpport: ALICE_RTP, udptlport: ALICE_UDPTL }, ['-s', 'bob']);

    const answered = await bob.waitForLog(/bob t38 answer (\S+) (\d+)/, 15_000);
    const offered = await alice.waitForLog(/alice t38 (\S+) (\d+)/, 1_000);
    expect(answered?.[1]).toBe(SERVER);
    expect(offered?.[1]).toBe(SERVER);
    const towardBob = Number(answered?.[2]);
    const towardAlice = Number(offered?.[2]);

    // bob's fax datagram reaches alice from Tandem's port toward her, and the other way round.
    const atAlice = nextDatagram(faxes.alice);
    faxes.bob.send('t38 from bob', towardBob, SERVER);
    expect(await atAlice).toEqual({ data: 't38 from bob', from: `${SERVER}:${towardAlice}` });
    const atBob = nextDatagram(faxes.bob);
    faxes.alice.send('t38 from alice', towardAlice, SERVER);
    expect(await atBob).toEqual({ data: 't38 from alice', from: `${SERVER}:${towardBob}` });

    const [aliceResult, bobResult] = await Promise.all([alice.done, bob.done]);
    expect(aliceResult.exitCode, aliceResult.messages + aliceResult.errors).toBe(0);
    expect(bobResult.exitCode, bobResult.messages + bobResult.errors).toBe(0);
    // Direct media first; after bob's BYE alice is re-INVITEd back to audio on the relay.
    expect(logged(aliceResult.logs, /alice direct (\S+) (\d+)/)).toEqual([[BOB, String(BOB_RTP)]]);
    const [[audioAddress = '', audioPort = '0'] = []] = logged(aliceResult.logs, /alice audio (\S+) (\d+)/);
    expect(audioAddress).toBe(SERVER);
    expect(Number(audioPort)).toBeGreaterThanOrEqual(45200);

    const after = await tandem().rx('core show channels');
    expect(after.output).toContain('0 active channels');
  });
});
