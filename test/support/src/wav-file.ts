import { readFileSync, writeFileSync } from 'node:fs';

/** Mono 16-bit linear PCM audio. */
export interface PcmAudio {
  readonly sampleRate: number;
  readonly samples: Int16Array;
}

const HEADER_BYTES = 44;

/** Writes `audio` as a canonical 16-bit mono PCM WAV file (what baresip's aufile source reads). */
export function writeWav(path: string, audio: PcmAudio): void {
  const dataBytes = audio.samples.length * 2;
  const file = Buffer.alloc(HEADER_BYTES + dataBytes);
  file.write('RIFF', 0, 'ascii');
  file.writeUInt32LE(36 + dataBytes, 4);
  file.write('WAVE', 8, 'ascii');
  file.write('fmt ', 12, 'ascii');
  file.writeUInt32LE(16, 16);
  file.writeUInt16LE(1, 20); // PCM
  file.writeUInt16LE(1, 22); // mono
  file.writeUInt32LE(audio.sampleRate, 24);
  file.writeUInt32LE(audio.sampleRate * 2, 28);
  file.writeUInt16LE(2, 32);
  file.writeUInt16LE(16, 34);
  file.write('data', 36, 'ascii');
  file.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < audio.samples.length; i++) file.writeInt16LE(audio.samples[i] ?? 0, HEADER_BYTES + 2 * i);
  writeFileSync(path, file);
}

/**
 * Reads a 16-bit mono PCM WAV file, walking its chunks. A data chunk whose size was never
 * filled in (a recorder still writing, or killed) is read to the end of the file.
 */
export function readWav(path: string): PcmAudio {
  const file = readFileSync(path);
  if (file.length < 12 || file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${path}: not a RIFF/WAVE file`);
  }
  let sampleRate: number | undefined;
  for (let offset = 12; offset + 8 <= file.length; ) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > file.length) throw new Error(`${path}: truncated fmt chunk`);
      const format = file.readUInt16LE(body);
      const channels = file.readUInt16LE(body + 2);
      const bits = file.readUInt16LE(body + 14);
      // 0xFFFE = WAVE_FORMAT_EXTENSIBLE, which libsndfile writes for some layouts.
      if ((format !== 1 && format !== 0xfffe) || channels !== 1 || bits !== 16) {
        throw new Error(`${path}: expected 16-bit mono PCM, found format ${format}, ${channels} channel(s), ${bits} bits`);
      }
      sampleRate = file.readUInt32LE(body + 4);
    } else if (id === 'data') {
      if (sampleRate === undefined) throw new Error(`${path}: data chunk before fmt chunk`);
      const end = size === 0 || body + size > file.length ? file.length : body + size;
      const samples = new Int16Array(Math.floor((end - body) / 2));
      for (let i = 0; i < samples.length; i++) samples[i] = file.readInt16LE(body + 2 * i);
      return { sampleRate, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}
