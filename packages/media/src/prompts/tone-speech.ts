// The building blocks of the bundled prompts: shaped tones at 8 kHz (no recorded voice ships
// with Tandem, and none can be fetched at build time).
const rate = 8000;
const peak = 8000; // about -12 dBFS

/** A tone of one or more partials with 8 ms raised-cosine ramps (no clicks). */
export function shapedTone(frequencies: readonly number[], durationMs: number, options: { glideTo?: number } = {}): Int16Array {
  const count = Math.round((rate * durationMs) / 1000);
  const ramp = Math.min(64, Math.floor(count / 2));
  const out = new Int16Array(count);
  const phases = frequencies.map(() => 0);
  for (let i = 0; i < count; i++) {
    const progress = i / count;
    let value = 0;
    frequencies.forEach((frequency, k) => {
      const f = options.glideTo === undefined ? frequency : frequency * (options.glideTo / frequencies[0]!) ** progress;
      phases[k]! += (2 * Math.PI * f) / rate;
      value += Math.sin(phases[k]!) / frequencies.length;
    });
    const edge = Math.min(i, count - 1 - i);
    const envelope = edge < ramp ? 0.5 - 0.5 * Math.cos((Math.PI * edge) / ramp) : 1;
    out[i] = Math.round(peak * envelope * value);
  }
  return out;
}

/** `durationMs` of digital silence. */
export function silence(durationMs: number): Int16Array {
  return new Int16Array(Math.round((rate * durationMs) / 1000));
}

/** Joins sample arrays end to end. */
export function concat(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** `count` short pips: how the bundled digit prompts "say" a number. */
export function pips(count: number, frequency = 880): Int16Array {
  const parts: Int16Array[] = [];
  for (let i = 0; i < count; i++) parts.push(shapedTone([frequency], 90), silence(70));
  return concat(parts);
}
