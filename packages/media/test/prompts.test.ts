// The prompts synthesised at build time: complete, distinct, and playable bit-exact.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { bundledPrompts, MediaEngine, writeBundledPrompts } from '../src/index.js';
import { power } from './support/audio.js';
import { ulawToLinear } from './support/g711-reference.js';
import { parseRtp, UdpParty } from './support/rtp-party.js';

const dir = mkdtempSync(join(tmpdir(), 'tandem-prompts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bursts of sound separated by silence. */
function bursts(samples: ArrayLike<number>): number {
  let count = 0;
  let loud = false;
  for (let at = 0; at + 80 <= samples.length; at += 80) {
    let energy = 0;
    for (let i = at; i < at + 80; i++) energy += Math.abs(samples[i]!);
    const now = energy / 80 > 500;
    if (now && !loud) count++;
    loud = now;
  }
  return count;
}

describe('bundled prompts', () => {
  it('covers hello-world, beep, and what SayNumber needs', () => {
    const names = writeBundledPrompts(dir);
    for (const name of ['hello-world', 'beep', 'digits/hundred', 'digits/thousand', 'digits/million', 'silence/1']) {
      expect(names).toContain(name);
    }
    for (let n = 0; n <= 19; n++) expect(names).toContain(`digits/${n}`);
    for (let n = 20; n <= 90; n += 10) expect(names).toContain(`digits/${n}`);
  });

  it('says digits as that many pips and beeps at 1 kHz', () => {
    const prompts = bundledPrompts();
    for (let n = 1; n <= 9; n++) expect(bursts(prompts.get(`digits/${n}`)!)).toBe(n);
    expect(bursts(prompts.get('digits/13')!)).toBe(4);
    expect(bursts(prompts.get('digits/40')!)).toBe(4);
    const beep = prompts.get('beep')!;
    expect(beep.length).toBe(2000);
    expect(power(beep, 1000)).toBeGreaterThan(1000 * power(beep, 500));
  });

  it('plays hello-world through the engine bit-exact', async () => {
    writeBundledPrompts(dir);
    const engine = MediaEngine.open({ portStart: 43000, portEnd: 43019, threads: 1, soundsDir: dir });
    const party = await UdpParty.open('127.0.2.40');
    try {
      const endpoint = engine.allocate({ localAddress: '127.0.0.1' });
      endpoint.setRemote(party.address, party.port);
      endpoint.setCodec({ payloadType: 0, name: 'PCMU', clockRate: 8000, ptimeMs: 20 });
      expect(await endpoint.play(['hello-world'])).toEqual({ status: 'done' });
      const file = readFileSync(join(dir, 'hello-world.ulaw'));
      const frames = Math.ceil(file.length / 160);
      await party.waitFor(frames);
      const sent = Buffer.concat(party.received.map((r) => parseRtp(r.data).payload));
      expect(sent.subarray(0, file.length).equals(file)).toBe(true);
      expect(bursts(Array.from(sent, (code) => ulawToLinear(code)))).toBe(5);
    } finally {
      party.close();
      await engine.close();
    }
  });
});
