/**
 * Music on hold as chan_sip and res_musiconhold give it: when the callee holds (a re-INVITE with
 * a=sendonly), the caller hears the music class the holder suggests (`mohsuggest`), or else its
 * own `mohinterpret` class (`default`), from musiconhold.conf, in place of the holder's audio;
 * when the callee resumes, the caller hears the callee again. The music files are µ-law, so
 * they arrive bit-exact over the caller's PCMU leg.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtpPeer, startSipp, startTandem, useConfDir, type ConfDir, type SippRun, type TandemProcess } from '@tandem/test-support';
import { PHONE_PORT, SIP_PORT, rtpConf, scenario, sipGeneral, sippAt } from './test-server.js';

const SERVER = '127.0.48.1';
const ALICE = '127.0.48.2';
const BOB = '127.0.48.3';
const CAROL = '127.0.48.4';
const ALICE_RTP = 48010;
const HOLDER_RTP = 48012;
const net = { server: SERVER, sipPort: SIP_PORT };

/** Two 20 ms µ-law frames of constant bytes: each music packet says which file and frame it is. */
const frames = (first: number, second: number): Buffer => Buffer.concat([Buffer.alloc(160, first), Buffer.alloc(160, second)]);

const files = {
  // sipGeneral's directmedia=no matters here too: the caller hears the relay, then the music, with no re-INVITEs to direct media.
  'sip.conf': `
${sipGeneral(net)}
allowguest=no

[phone](!)
type=friend
port=${PHONE_PORT}
insecure=invite
context=hold
disallow=all
allow=ulaw

[alice](phone)
host=${ALICE}

; bob suggests his own music class to whoever he holds
[bob](phone)
host=${BOB}
mohsuggest=chimes

[carol](phone)
host=${CAROL}
`,
  'extensions.conf': `
[hold]
exten => bob,1,Dial(SIP/bob)
exten => carol,1,Dial(SIP/carol)
`,
  'rtp.conf': rtpConf(48200),
};

/** Runs `file` as the phone at `address` with sipp variables (`-set name value`) and extra arguments. */
function runPhone(address: string, file: string, variables: Record<string, number | string>, extra: readonly string[] = []): SippRun {
  const args = [...extra, ...Object.entries(variables).flatMap(([name, value]) => ['-set', name, String(value)])];
  return startSipp(sippAt(net, address, PHONE_PORT, { timeoutMs: 30_000, scenario: scenario(file), args }));
}

/** Consecutive packets of the same kind as one: what the caller heard, in order. */
function heard(packets: readonly Buffer[], kindOf: (payload: Buffer) => string): string[] {
  const kinds: string[] = [];
  for (const packet of packets) {
    const kind = kindOf(packet.subarray(12));
    if (kinds.at(-1) !== kind) kinds.push(kind);
  }
  return kinds;
}

describe('music on hold', () => {
  let confDir: ConfDir;
  let tandem: TandemProcess;

  beforeAll(async () => {
    confDir = useConfDir(files);
    mkdirSync(join(confDir.path, 'moh'));
    mkdirSync(join(confDir.path, 'chimes'));
    writeFileSync(join(confDir.path, 'moh', 'tune.ulaw'), frames(0x33, 0x44));
    writeFileSync(join(confDir.path, 'chimes', 'chime.ulaw'), frames(0x11, 0x22));
    confDir.write(
      'musiconhold.conf',
      `
[default]
mode=files
directory=moh

[chimes]
mode=playlist
entry=${join(confDir.path, 'chimes', 'chime')}
`,
    );
    tandem = await startTandem({ confDir, sipAddress: SERVER, sipPort: SIP_PORT });
  });

  afterAll(async () => {
    await tandem?.[Symbol.asyncDispose]();
    confDir?.remove();
  });

  /** alice calls `holder`, who talks (0xff audio), holds, resumes and hangs up; returns what alice heard. */
  async function callAndHold(holder: string, holderAddress: string): Promise<Buffer[]> {
    await using aliceRtp = await RtpPeer.bind(ALICE, ALICE_RTP);
    await using holderRtp = await RtpPeer.bind(holderAddress, HOLDER_RTP);
    const callee = runPhone(holderAddress, 'moh-uas-bob-hold.xml', { rtpport: HOLDER_RTP });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alice = runPhone(
      ALICE,
      'dialplan-caller-answered.xml',
      { caller: 'alice', rtpport: ALICE_RTP, touri: `sip:${holder}@${SERVER}`, pt: 0, codec: 'PCMU' },
      ['-s', holder],
    );
    const relay = await callee.waitForLog(/relay=(\d+)/);
    expect(relay, callee.logs()).toBeDefined();
    // The callee sends audio all through the call, on hold too (a=sendonly).
    const talking = holderRtp.sendStream(SERVER, Number(relay?.[1]), 240);
    const [aliceResult, calleeResult] = await Promise.all([alice.done, callee.done]);
    await talking;
    expect(aliceResult.exitCode, aliceResult.messages).toBe(0);
    expect(calleeResult.exitCode, calleeResult.messages).toBe(0);
    // chan_sip add_sdp(): a sendonly hold is answered recvonly.
    expect(calleeResult.logs).toContain('bob hold answered recvonly');
    return [...aliceRtp.received];
  }

  const kindOf = (music: readonly number[]) => (payload: Buffer): string => {
    if (payload.every((byte) => byte === 0xff)) return 'callee';
    if (music.some((byte) => payload.every((value) => value === byte))) return 'music';
    return 'other';
  };

  it("plays the holder's suggested class (mohsuggest) to the held party, then relays the holder again", { timeout: 40_000 }, async () => {
    const packets = await callAndHold('bob', BOB);
    expect(heard(packets, kindOf([0x11, 0x22]))).toEqual(['callee', 'music', 'callee']);
    const music = packets.map((packet) => packet[12]).filter((byte) => byte === 0x11 || byte === 0x22);
    // The playlist loops: frame one, frame two, frame one, ... for about the 2 s of hold.
    expect(music.slice(0, 6)).toEqual([0x11, 0x22, 0x11, 0x22, 0x11, 0x22]);
    expect(music.length).toBeGreaterThan(50);
  });

  it("plays the held party's mohinterpret class (default: a directory of musiconhold.conf) when the holder suggests none", { timeout: 40_000 }, async () => {
    const packets = await callAndHold('carol', CAROL);
    expect(heard(packets, kindOf([0x33, 0x44]))).toEqual(['callee', 'music', 'callee']);
    const music = packets.map((packet) => packet[12]).filter((byte) => byte === 0x33 || byte === 0x44);
    expect(music.slice(0, 4)).toEqual([0x33, 0x44, 0x33, 0x44]);
    expect(music.length).toBeGreaterThan(50);
  });
});
