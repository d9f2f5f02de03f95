// Media endpoints over real loopback RTP: playback, tones, echo, DTMF, record.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import { MediaEngine } from '../src/index.js';
import type { MediaEndpoint } from '../src/index.js';
import { dtmfPackets, parseWav, power, tone, ulaw } from './support/audio.js';
import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from './support/g711-reference.js';
import { buildRtp, parseRtp, sleep, UdpParty } from './support/rtp-party.js';
import type { RtpPacket } from './support/rtp-party.js';

const PCMU = { payloadType: 0, name: 'PCMU', clockRate: 8000, ptimeMs: 20, telephoneEventPt: 101 } as const;
const PCMA = { payloadType: 8, name: 'PCMA', clockRate: 8000, ptimeMs: 20, telephoneEventPt: 101 } as const;

const dir = mkdtempSync(join(tmpdir(), 'tandem-media-'));
let engine: MediaEngine;
const parties: UdpParty[] = [];

beforeEach(() => {
  engine = MediaEngine.open({ portStart: 42000, portEnd: 42099, threads: 2, soundsDir: dir });
});

afterEach(async () => {
  for (const p of parties.splice(0)) p.close();
  await engine.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function facing(codec: typeof PCMU | typeof PCMA = PCMU, address = '127.0.2.30'): Promise<{ party: UdpParty; endpoint: MediaEndpoint }> {
  const party = await UdpParty.open(address);
  parties.push(party);
  const endpoint = engine.allocate({ localAddress: '127.0.0.1' });
  endpoint.setRemote(party.address, party.port);
  endpoint.setCodec(codec);
  return { party, endpoint };
}

const packets = (party: UdpParty): RtpPacket[] => party.received.map((r) => parseRtp(r.data));

async function sendPaced(party: UdpParty, port: number, payloads: Buffer[], options: { payloadType?: number; firstSequence?: number } = {}): Promise<void> {
  for (let i = 0; i < payloads.length; i++) {
    await party.send(buildRtp({ sequence: (options.firstSequence ?? 100) + i, timestamp: 1600 + i * 160, payloadType: options.payloadType ?? 0, payload: payloads[i]! }), port);
    await sleep(20);
  }
}

describe('playback', () => {
  it('loops a playlist without a gap until stopped, and stops a loop whose files hold no audio', async () => {
    // 1.5 frames per file: a round ends mid-packet, and the next one fills the rest of it.
    writeFileSync(join(dir, 'loop-a.ulaw'), Buffer.alloc(240, 0x11));
    writeFileSync(join(dir, 'loop-b.ulaw'), Buffer.alloc(240, 0x22));
    writeFileSync(join(dir, 'empty.ulaw'), Buffer.alloc(0));
    const { party, endpoint } = await facing(PCMU);
    const playing = endpoint.play(['loop-a', 'loop-b'], { loop: true });
    await party.waitFor(12);
    endpoint.stopMedia();
    expect(await playing).toEqual({ status: 'stopped' });
    const got = packets(party);
    const audio = Buffer.concat(got.map((p) => p.payload));
    const round = Buffer.concat([Buffer.alloc(240, 0x11), Buffer.alloc(240, 0x22)]);
    // Bit-exact rounds back to back: 480 bytes, three packets per round, no padding in between.
    for (let at = 0; at + round.length <= audio.length; at += round.length) {
      expect(audio.subarray(at, at + round.length).equals(round)).toBe(true);
    }
    for (let i = 1; i < got.length; i++) expect((got[i]!.sequence - got[i - 1]!.sequence) & 0xffff).toBe(1);
    // Nothing to loop over: done at once instead of spinning.
    expect(await endpoint.play(['empty'], { loop: true })).toEqual({ status: 'done' });
  });

  it('plays a .ulaw file bit-exact with 20 ms RTP framing (seq, timestamp, marker, one SSRC)', async () => {
    const audio = Buffer.from(Array.from({ length: 8 * 160 }, (_, i) => (i * 37 + 11) & 0xff));
    writeFileSync(join(dir, 'exact.ulaw'), audio);
    const { party, endpoint } = await facing(PCMU);
    const result = await endpoint.play(['exact']);
    expect(result).toEqual({ status: 'done' });
    await party.waitFor(8);
    const got = packets(party);
    expect(got).toHaveLength(8);
    expect(Buffer.concat(got.map((p) => p.payload)).equals(audio)).toBe(true);
    expect(got.map((p) => p.payloadType)).toEqual(new Array(8).fill(0));
    expect(new Set(got.map((p) => p.ssrc)).size).toBe(1);
    expect(got.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false, false]);
    for (let i = 1; i < 8; i++) {
      expect((got[i]!.sequence - got[i - 1]!.sequence) & 0xffff).toBe(1);
      expect((got[i]!.timestamp - got[i - 1]!.timestamp) >>> 0).toBe(160);
    }
    expect(endpoint.stats().txPackets).toBe(8);
  });

  it('plays .alaw bit-exact to a PCMA party, transcodes it for PCMU, and encodes .sln and .wav', async () => {
    const alaw = Buffer.from(Array.from({ length: 320 }, (_, i) => (i * 13) & 0xff));
    writeFileSync(join(dir, 'law.alaw'), alaw);
    const samples = tone([700], 320, 9000);
    const sln = Buffer.alloc(640);
    samples.forEach((s, i) => sln.writeInt16LE(s, 2 * i));
    writeFileSync(join(dir, 'linear.sln'), sln);
    const wav = Buffer.concat([Buffer.alloc(44), sln]);
    wav.write('RIFF', 0, 'ascii');
    wav.writeUInt32LE(36 + 640, 4);
    wav.write('WAVEfmt ', 8, 'ascii');
    wav.writeUInt32LE(16, 16);
    wav.writeUInt16LE(1, 20);
    wav.writeUInt16LE(1, 22);
    wav.writeUInt32LE(8000, 24);
    wav.writeUInt32LE(16000, 28);
    wav.writeUInt16LE(2, 32);
    wav.writeUInt16LE(16, 34);
    wav.write('data', 36, 'ascii');
    wav.writeUInt32LE(640, 40);
    writeFileSync(join(dir, 'pcm.wav'), wav);

    const a = await facing(PCMA, '127.0.2.31');
    expect(await a.endpoint.play(['law'])).toEqual({ status: 'done' });
    await a.party.waitFor(2);
    expect(Buffer.concat(packets(a.party).map((p) => p.payload)).equals(alaw)).toBe(true);
    expect(packets(a.party)[0]!.payloadType).toBe(8);

    const u = await facing(PCMU, '127.0.2.32');
    expect(await u.endpoint.play(['law.alaw', join(dir, 'linear.sln'), 'pcm.wav'])).toEqual({ status: 'done' });
    await u.party.waitFor(6);
    const payload = Buffer.concat(packets(u.party).map((p) => p.payload));
    const expected = [
      ...Array.from(alaw, (code) => linearToUlaw(alawToLinear(code))),
      ...Array.from(samples, (s) => linearToUlaw(s)),
      ...Array.from(samples, (s) => linearToUlaw(s)),
    ];
    expect([...payload]).toEqual(expected);
  });

  it("resolves 'failed' for a missing file and 'stopped' on stopMedia", async () => {
    const { endpoint } = await facing();
    expect(await endpoint.play(['no-such-prompt'])).toEqual({ status: 'failed' });
    writeFileSync(join(dir, 'long.ulaw'), Buffer.alloc(8000 * 5, 0xff));
    const playing = endpoint.play(['long']);
    await sleep(100);
    endpoint.stopMedia();
    expect(await playing).toEqual({ status: 'stopped' });
    const again = endpoint.play(['long']);
    endpoint.release();
    expect(await again).toEqual({ status: 'stopped' });
  });

  it('is interrupted by an RFC 4733 digit from interruptDigits, which onDtmf also sees', async () => {
    writeFileSync(join(dir, 'menu.ulaw'), Buffer.alloc(8000 * 5, 0xff));
    const { party, endpoint } = await facing();
    const digits: string[] = [];
    endpoint.onDtmf((digit) => digits.push(digit));
    const playing = endpoint.play(['menu'], { interruptDigits: '5#' });
    await sleep(60);
    for (const packet of dtmfPackets(5, { sequence: 10, timestamp: 800, durationMs: 100 })) await party.send(packet, endpoint.rtpPort);
    expect(await playing).toEqual({ status: 'interrupted', digit: '5' });
    expect(digits).toEqual(['5']);
  });
});

describe('DTMF', () => {
  it('detects RFC 4733 digits once each, with their durations', async () => {
    const { party, endpoint } = await facing();
    const heard: Array<[string, number]> = [];
    endpoint.onDtmf((digit, durationMs) => heard.push([digit, durationMs]));
    let sequence = 1;
    let timestamp = 0;
    for (const [event, ms] of [[1, 100], [2, 120], [10, 80], [11, 200], [12, 60]] as const) {
      const burst = dtmfPackets(event, { sequence, timestamp, durationMs: ms });
      for (const packet of burst) await party.send(packet, endpoint.rtpPort);
      sequence += burst.length;
      timestamp += 8 * (ms + 100);
    }
    await sleep(100);
    expect(heard).toEqual([['1', 100], ['2', 120], ['*', 80], ['#', 200], ['A', 60]]);
  });

  it('sends RFC 4733 events: one timestamp per digit, growing duration, end bit thrice', async () => {
    const { party, endpoint } = await facing();
    await endpoint.sendDtmf('19#', 100);
    await party.waitFor(3 * 7);
    const events = packets(party).filter((p) => p.payloadType === 101);
    const digits = [...new Set(events.map((p) => `${p.timestamp}:${p.payload[0]}`))].map((key) => Number(key.split(':')[1]));
    expect(digits).toEqual([1, 9, 11]);
    const first = events.filter((p) => p.payload[0] === 1);
    expect(first[0]!.marker).toBe(true);
    expect(first.filter((p) => (p.payload[1]! & 0x80) !== 0)).toHaveLength(3);
    expect(first.at(-1)!.payload.readUInt16BE(2)).toBe(800);
    expect(new Set(first.map((p) => p.timestamp)).size).toBe(1);
  });

  it('generates inband DTMF that the Goertzel detector of another endpoint recognises', async () => {
    const { party, endpoint: sender } = await facing({ ...PCMU, telephoneEventPt: undefined } as unknown as typeof PCMU);
    const receiver = engine.allocate({ localAddress: '127.0.0.1' });
    receiver.setRemote(party.address, party.port);
    receiver.setCodec({ payloadType: 0, name: 'PCMU', clockRate: 8000, ptimeMs: 20 });
    receiver.setDtmfMode('inband');
    sender.setDtmfMode('inband');
    const heard: string[] = [];
    receiver.onDtmf((digit) => heard.push(digit));
    // The party loops what it hears from the sender into the receiver, as a phone line would.
    party.socket.on('message', (data) => party.socket.send(data, receiver.rtpPort, '127.0.0.1'));
    await sender.sendDtmf('4D0', 120);
    await sleep(300);
    expect(heard).toEqual(['4', 'D', '0']);
    const audio = packets(party).filter((p) => p.payloadType === 0);
    expect(audio.length).toBeGreaterThan(15);
  });

  it('takes SIP INFO digits through receiveDtmf and rejects sendDtmf in info mode', async () => {
    const { endpoint } = await facing();
    const heard: string[] = [];
    endpoint.onDtmf((digit) => heard.push(digit));
    endpoint.setDtmfMode('info');
    endpoint.receiveDtmf('7', 250);
    await sleep(50);
    expect(heard).toEqual(['7']);
    await expect(endpoint.sendDtmf('1', 100)).rejects.toMatchObject({ code: 'unsupported' });
    await expect(endpoint.sendDtmf('x', 100)).rejects.toMatchObject({ code: 'bad-argument' });
  });
});

describe('tones and echo', () => {
  it('plays an indications tone list with the right frequencies and honours "!" (play once)', async () => {
    const { party, endpoint } = await facing();
    endpoint.playTones('!440+480/100,!0/60');
    await sleep(400);
    const got = packets(party);
    // 100 ms of ringback, then 60 ms of silence, then nothing (every part had '!').
    expect(got).toHaveLength(8);
    const linear = got.slice(0, 5).flatMap((p) => Array.from(p.payload, (c) => ulawToLinear(c)));
    expect(power(linear, 440)).toBeGreaterThan(100 * power(linear, 1000));
    expect(power(linear, 480)).toBeGreaterThan(100 * power(linear, 1000));
    const quiet = got.slice(5).flatMap((p) => Array.from(p.payload, (c) => ulawToLinear(c)));
    expect(Math.max(...quiet.map(Math.abs))).toBeLessThan(64);
  });

  it('rejects a tone list with no valid part, and plays MIDI notes and modulated tones', async () => {
    const { party, endpoint } = await facing();
    expect(() => endpoint.playTones('garbage,also/bad')).toThrow(expect.objectContaining({ code: 'bad-argument' }));
    endpoint.playTones('!M69/60,!425*25/60'); // A4 = 440 Hz, then 425 Hz amplitude-modulated at 25 Hz
    await sleep(300);
    const got = packets(party);
    expect(got).toHaveLength(6);
    const note = got.slice(0, 3).flatMap((p) => Array.from(p.payload, (c) => ulawToLinear(c)));
    expect(power(note, 440)).toBeGreaterThan(100 * power(note, 1000));
    const modulated = got.slice(3).flatMap((p) => Array.from(p.payload, (c) => ulawToLinear(c)));
    expect(power(modulated, 425)).toBeGreaterThan(20 * power(modulated, 1000));
  });

  it('repeats a tone list until stopTones', async () => {
    const { party, endpoint } = await facing();
    endpoint.playTones('480+620/40,0/40'); // busy-style cadence, quickened
    await sleep(300);
    endpoint.stopTones();
    await sleep(60);
    const count = party.received.length;
    await sleep(100);
    expect(party.received.length).toBe(count);
    expect(count).toBeGreaterThan(8);
  });

  it('echoes the party\'s media back under Tandem\'s own SSRC', async () => {
    const { party, endpoint } = await facing();
    endpoint.echo();
    await sleep(20);
    const payloads = [0, 1, 2].map((i) => Buffer.alloc(160, 0x10 + i));
    await sendPaced(party, endpoint.rtpPort, payloads);
    await party.waitFor(3);
    const back = packets(party);
    expect(back.map((p) => p.payload[0])).toEqual([0x10, 0x11, 0x12]);
    expect(back[0]!.ssrc).not.toBe(0x11223344);
    endpoint.stopEcho();
    await sleep(20);
    await sendPaced(party, endpoint.rtpPort, payloads, { firstSequence: 200 });
    await sleep(50);
    expect(party.received).toHaveLength(3);
  });
});

describe('record', () => {
  const frames = (count: number, frequency: number) =>
    Array.from({ length: count }, (_, i) => ulaw(tone([frequency], 160, 8000, i * 160)));

  it("stops on a terminator digit, trims the last 250 ms, and writes a 16-bit 8 kHz WAV", async () => {
    const { party, endpoint } = await facing();
    const file = join(dir, 'message.wav');
    const started = performance.now();
    const recording = endpoint.record(file, { silenceMs: 0, maxDurationMs: 0, terminators: '#', append: false });
    await sendPaced(party, endpoint.rtpPort, frames(50, 1000));
    for (const packet of dtmfPackets(11, { sequence: 500, timestamp: 1600 + 50 * 160, durationMs: 60 })) await party.send(packet, endpoint.rtpPort);
    const result = await recording;
    const recordedForMs = performance.now() - started;
    expect(result.status).toBe('dtmf');
    const wav = parseWav(readFileSync(file));
    expect(wav).toMatchObject({ sampleRate: 8000, channels: 1, bits: 16 });
    expect(wav.samples.length).toBe(result.durationMs * 8);
    // ~1 s was sent (longer on a loaded machine: the recording follows the clock); the jitter
    // buffer delay and the 250 ms trim take some off what was recorded.
    expect(result.durationMs).toBeGreaterThan(500);
    expect(result.durationMs).toBeLessThanOrEqual(recordedForMs - 250 + 20);
    const middle = wav.samples.subarray(1600, 3200);
    expect(power(middle, 1000)).toBeGreaterThan(100 * power(middle, 400));
  });

  it("stops after the silence allowed, keeping one second of it", async () => {
    const { party, endpoint } = await facing();
    const file = join(dir, 'silence.wav');
    const recording = endpoint.record(file, { silenceMs: 1200, maxDurationMs: 10000, terminators: '#', append: false });
    await sendPaced(party, endpoint.rtpPort, [...frames(10, 800), ...Array.from({ length: 80 }, () => Buffer.alloc(160, 0xff))]);
    const result = await recording;
    expect(result.status).toBe('silence');
    // 200 ms of tone + 1200 ms of silence, less (1200 - 1000) ms trimmed.
    expect(result.durationMs).toBeGreaterThan(1000);
    expect(result.durationMs).toBeLessThan(1500);
  });

  it("ends at maxDurationMs with 'timeout', appends, and reports bad paths as 'error'", async () => {
    const { party, endpoint } = await facing();
    const file = join(dir, 'limited.wav');
    const first = endpoint.record(file, { silenceMs: 0, maxDurationMs: 300, terminators: '', append: false });
    const sending = sendPaced(party, endpoint.rtpPort, frames(40, 600));
    const one = await first;
    expect(one.status).toBe('timeout');
    const second = await endpoint.record(file, { silenceMs: 0, maxDurationMs: 300, terminators: '', append: true });
    expect(second.status).toBe('timeout');
    expect(parseWav(readFileSync(file)).samples.length).toBe((one.durationMs + second.durationMs) * 8);
    expect(await endpoint.record(join(dir, 'missing-dir', 'x.wav'), { silenceMs: 0, maxDurationMs: 100, terminators: '', append: false })).toEqual({ status: 'error', durationMs: 0 });
    await expect(endpoint.record(join(dir, 'x.gsm'), { silenceMs: 0, maxDurationMs: 100, terminators: '', append: false })).rejects.toMatchObject({ code: 'unsupported' });
    await sending;
  });

  it('puts reordered and jittered packets back in order through the jitter buffer', async () => {
    const { party, endpoint } = await facing();
    const file = join(dir, 'reordered.wav');
    const recording = endpoint.record(file, { silenceMs: 0, maxDurationMs: 0, terminators: '#', append: false });
    // Frame i carries one constant µ-law code, 0x98 + i: a distinct level, easy to find again.
    const levels = Array.from({ length: 40 }, (_, i) => ulawToLinear(0x98 + i));
    const payload = (i: number) => Buffer.alloc(160, 0x98 + i);
    const order = levels.map((_, i) => i);
    for (let i = 0; i + 1 < order.length; i += 4) [order[i], order[i + 1]] = [order[i + 1]!, order[i]!];
    for (const i of order) {
      await party.send(buildRtp({ sequence: 100 + i, timestamp: 1600 + i * 160, payload: payload(i) }), endpoint.rtpPort);
      await sleep(i % 3 === 0 ? 30 : 15);
    }
    await sleep(400); // past the 250 ms that the '#' trims off
    for (const packet of dtmfPackets(11, { sequence: 900, timestamp: 1600 + 41 * 160, durationMs: 40 })) await party.send(packet, endpoint.rtpPort);
    await recording;
    const wav = parseWav(readFileSync(file)).samples;
    const seen: number[] = [];
    for (let at = 80; at < wav.length; at += 160) {
      const index = levels.indexOf(wav[at]!);
      if (index >= 0 && seen.at(-1) !== index) seen.push(index);
    }
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(seen.length).toBeGreaterThanOrEqual(32); // a few may come too late on a loaded machine
  });
});

describe('transcoded playback', () => {
  it('sends a .ulaw prompt to a PCMA party as G.711 A-law of the same samples', async () => {
    const audio = Buffer.from(Array.from({ length: 160 }, (_, i) => i));
    writeFileSync(join(dir, 'mu.ulaw'), audio);
    const { party, endpoint } = await facing(PCMA, '127.0.2.33');
    await endpoint.play(['mu.ulaw']);
    await party.waitFor(1);
    expect([...packets(party)[0]!.payload]).toEqual(Array.from(audio, (code) => linearToAlaw(ulawToLinear(code))));
  });
});
