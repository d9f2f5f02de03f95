import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { encodeAlaw, encodeUlaw } from './g711-encode.js';
import { concat, pips, shapedTone, silence } from './tone-speech.js';

/**
 * The prompts Tandem bundles, synthesised at build time (no voice: tones). What they sound like:
 * - `hello-world`: a rising C-E-G chime, then a low two-note answer (about 1.4 s).
 * - `beep`: 1 kHz for 250 ms (the record prompt).
 * - `digits/0`..`digits/9`: that many short 880 Hz pips; `digits/0` is one low 440 Hz pip.
 * - `digits/10`..`digits/19`: one long 660 Hz tone, then (n - 10) pips.
 * - `digits/20`..`digits/90`: n/10 long 660 Hz tones. With the above, what SayNumber needs.
 * - `digits/hundred`, `digits/thousand`, `digits/million`: one, two, three rising glides.
 * - `silence/1`..`silence/10`: that many seconds of silence.
 * - `moh/tandem-lullaby`: the bundled music on hold, an 8 s arpeggio over C, A minor, F and G
 *   (twice), each note with its octave below; it loops seamlessly.
 * Each is written as .ulaw and .alaw, so either codec plays it bit-exact.
 */
export function bundledPrompts(): Map<string, Int16Array> {
  const prompts = new Map<string, Int16Array>();
  const longTone = () => concat([shapedTone([660], 350), silence(80)]);
  const glide = () => concat([shapedTone([400], 300, { glideTo: 1200 }), silence(80)]);
  prompts.set(
    'hello-world',
    concat([
      shapedTone([523.25, 1046.5], 180), silence(30),
      shapedTone([659.25, 1318.5], 180), silence(30),
      shapedTone([783.99, 1568], 300), silence(200),
      shapedTone([392, 784], 220), silence(30),
      shapedTone([329.63, 659.25], 380),
    ]),
  );
  prompts.set('beep', shapedTone([1000], 250));
  prompts.set('digits/0', pips(1, 440));
  for (let n = 1; n <= 9; n++) prompts.set(`digits/${n}`, pips(n));
  for (let n = 10; n <= 19; n++) prompts.set(`digits/${n}`, concat([longTone(), pips(n - 10)]));
  for (let tens = 2; tens <= 9; tens++) prompts.set(`digits/${tens * 10}`, concat(Array.from({ length: tens }, longTone)));
  prompts.set('digits/hundred', glide());
  prompts.set('digits/thousand', concat([glide(), glide()]));
  prompts.set('digits/million', concat([glide(), glide(), glide()]));
  for (let seconds = 1; seconds <= 10; seconds++) prompts.set(`silence/${seconds}`, silence(seconds * 1000));
  prompts.set('moh/tandem-lullaby', lullaby());
  return prompts;
}

/** The bundled music on hold (see above): 32 notes of 250 ms. */
function lullaby(): Int16Array {
  const chords = [
    [261.63, 329.63, 392.0, 523.25],
    [220.0, 261.63, 329.63, 440.0],
    [174.61, 220.0, 261.63, 349.23],
    [196.0, 246.94, 293.66, 392.0],
  ];
  const notes: Int16Array[] = [];
  for (let round = 0; round < 2; round++) {
    for (const chord of chords) {
      for (const frequency of chord) notes.push(shapedTone([frequency, frequency / 2], 240), silence(10));
    }
  }
  return concat(notes);
}

/** Writes every bundled prompt under `directory` (as NAME.ulaw and NAME.alaw); returns the names. */
export function writeBundledPrompts(directory: string): string[] {
  const names: string[] = [];
  for (const [name, samples] of bundledPrompts()) {
    const base = join(directory, name);
    mkdirSync(dirname(base), { recursive: true });
    writeFileSync(`${base}.ulaw`, encodeUlaw(samples));
    writeFileSync(`${base}.alaw`, encodeAlaw(samples));
    names.push(name);
  }
  return names;
}
