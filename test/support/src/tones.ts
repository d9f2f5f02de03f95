import type { PcmAudio } from './wav-file.js';

/** One step of a test signal: a pure tone of `hz` (0 = silence) lasting `ms`. */
export interface ToneStep {
  readonly hz: number;
  readonly ms: number;
}

/** A tone found in recorded audio. */
export interface DetectedTone {
  readonly hz: number;
  /** Where the tone starts, in ms from the start of the audio (sample time, not wall-clock). */
  readonly startMs: number;
  readonly durationMs: number;
}

/** How {@link detectTones} classifies the audio. */
export interface ToneDetectionOptions {
  /** Analysis window; default 20 ms (a 50 Hz Goertzel bin at 8 kHz). */
  readonly windowMs?: number;
  /** Share of a window's energy that must sit at one candidate frequency; default 0.6. */
  readonly minShare?: number;
  /** RMS below this is silence; default 200 (about -44 dBFS). */
  readonly minRms?: number;
  /** Runs shorter than this are dropped (window edges, codec transients); default 60 ms. */
  readonly minDurationMs?: number;
}

/** Synthesizes `steps` at `sampleRate` with peak `amplitude`. */
export function synthesizeTones(steps: readonly ToneStep[], sampleRate = 8000, amplitude = 8000): PcmAudio {
  const total = steps.reduce((sum, step) => sum + Math.round((step.ms * sampleRate) / 1000), 0);
  const samples = new Int16Array(total);
  let at = 0;
  for (const step of steps) {
    const count = Math.round((step.ms * sampleRate) / 1000);
    if (step.hz > 0) {
      for (let n = 0; n < count; n++) samples[at + n] = Math.round(amplitude * Math.sin((2 * Math.PI * step.hz * n) / sampleRate));
    }
    at += count;
  }
  return { sampleRate, samples };
}

/**
 * Share of the energy of `samples[from, from + length)` at `hz` (Goertzel; 1 for a pure tone
 * centred on the bin, near 0 for other frequencies and noise).
 */
function energyShare(samples: Int16Array, from: number, length: number, hz: number, sampleRate: number, energy: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
  let previous = 0;
  let beforePrevious = 0;
  for (let i = from; i < from + length; i++) {
    const current = (samples[i] ?? 0) + coefficient * previous - beforePrevious;
    beforePrevious = previous;
    previous = current;
  }
  const power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
  return energy === 0 ? 0 : (2 * power) / (length * energy);
}

/**
 * Finds which of the `candidates` frequencies sound where in `audio`: each window is given to
 * the candidate holding most of its energy (or to silence), and runs of equal windows become
 * tones. Robust to G.711 transcoding and level changes, not to mixed tones.
 */
export function detectTones(audio: PcmAudio, candidates: readonly number[], options: ToneDetectionOptions = {}): DetectedTone[] {
  const windowMs = options.windowMs ?? 20;
  const minShare = options.minShare ?? 0.6;
  const minRms = options.minRms ?? 200;
  const minDurationMs = options.minDurationMs ?? 60;
  const length = Math.round((windowMs * audio.sampleRate) / 1000);
  if (length < 1) throw new Error(`window of ${windowMs} ms is shorter than one sample`);

  const labels: number[] = [];
  for (let from = 0; from + length <= audio.samples.length; from += length) {
    let energy = 0;
    for (let i = from; i < from + length; i++) energy += (audio.samples[i] ?? 0) ** 2;
    let label = 0;
    if (Math.sqrt(energy / length) >= minRms) {
      let best = 0;
      for (const hz of candidates) {
        const share = energyShare(audio.samples, from, length, hz, audio.sampleRate, energy);
        if (share >= minShare && share > best) [best, label] = [share, hz];
      }
    }
    labels.push(label);
  }

  const tones: DetectedTone[] = [];
  for (let start = 0; start < labels.length; ) {
    let end = start;
    while (end < labels.length && labels[end] === labels[start]) end++;
    const hz = labels[start] ?? 0;
    const durationMs = (end - start) * windowMs;
    if (hz !== 0 && durationMs >= minDurationMs) tones.push({ hz, startMs: start * windowMs, durationMs });
    start = end;
  }
  return tones;
}
