// G.711 encoders for writing prompt files (the same quantisers the addon uses).
/** µ-law encodes 16-bit samples (G.711, bias 0x84, clip 32635). */
export function encodeUlaw(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length);
  samples.forEach((sample, i) => {
    let value = Math.abs(sample);
    const sign = sample < 0 ? 0x80 : 0;
    value = Math.min(value, 32635) + 0x84;
    let exponent = 7;
    for (let mask = 0x4000; (value & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
    out[i] = ~(sign | (exponent << 4) | ((value >> (exponent + 3)) & 0x0f)) & 0xff;
  });
  return out;
}

/** A-law encodes 16-bit samples (G.711 segment search on the 13-bit magnitude). */
export function encodeAlaw(samples: Int16Array): Buffer {
  const ends = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
  const out = Buffer.alloc(samples.length);
  samples.forEach((sample, i) => {
    let value = sample >> 3;
    let mask = 0xd5;
    if (value < 0) {
      mask = 0x55;
      value = -value - 1;
    }
    const segment = ends.findIndex((end) => value <= end);
    if (segment < 0) {
      out[i] = 0x7f ^ mask;
      return;
    }
    const mantissa = segment < 2 ? (value >> 1) & 0x0f : (value >> segment) & 0x0f;
    out[i] = ((segment << 4) | mantissa) ^ mask;
  });
  return out;
}
