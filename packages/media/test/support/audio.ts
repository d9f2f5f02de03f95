// Audio helpers for tests: tones, Goertzel power, WAV parsing, RFC 4733 packets.
import { linearToUlaw } from './g711-reference.js';
import { buildRtp } from './rtp-party.js';

export function tone(frequencies: number[], samples: number, amplitude = 6000, phase = 0): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    let value = 0;
    for (const f of frequencies) value += amplitude * Math.sin((2 * Math.PI * f * (i + phase)) / 8000);
    out[i] = Math.round(value);
  }
  return out;
}

export function ulaw(samples: Int16Array): Buffer {
  return Buffer.from(Array.from(samples, (s) => linearToUlaw(s)));
}

/** Goertzel power of `frequency`, normalised by block length (≈ amplitude² / 4). */
export function power(samples: ArrayLike<number>, frequency: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / 8000);
  let v1 = 0;
  let v2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const v0 = coefficient * v1 - v2 + samples[i]!;
    v2 = v1;
    v1 = v0;
  }
  return (v1 * v1 + v2 * v2 - coefficient * v1 * v2) / (samples.length * samples.length);
}

export function parseWav(data: Buffer): { sampleRate: number; channels: number; bits: number; samples: Int16Array } {
  if (data.toString('ascii', 0, 4) !== 'RIFF' || data.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV');
  const dataSize = data.readUInt32LE(40);
  const samples = new Int16Array(dataSize / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(44 + 2 * i);
  return { sampleRate: data.readUInt32LE(24), channels: data.readUInt16LE(22), bits: data.readUInt16LE(34), samples };
}

/** The packets a phone sends for one RFC 4733 digit: start, updates every 20 ms, end ×3. */
export function dtmfPackets(event: number, options: { sequence: number; timestamp: number; durationMs: number; payloadType?: number; ssrc?: number }): Buffer[] {
  const packets: Buffer[] = [];
  const total = options.durationMs * 8;
  let sequence = options.sequence;
  for (let duration = 160; ; duration += 160) {
    const end = duration >= total;
    const payload = Buffer.from([event, (end ? 0x80 : 0) | 10, (Math.min(duration, total) >> 8) & 0xff, Math.min(duration, total) & 0xff]);
    const copies = end ? 3 : 1;
    for (let c = 0; c < copies; c++) {
      packets.push(buildRtp({ sequence: sequence++, timestamp: options.timestamp, payloadType: options.payloadType ?? 101, marker: duration === 160 && c === 0, ssrc: options.ssrc ?? 0x11223344, payload }));
    }
    if (end) break;
  }
  return packets;
}
