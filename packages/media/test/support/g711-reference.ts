// An independent G.711 reference (ITU-T G.711 segment tables written out) to check the
// addon's transcoding against.
export function ulawToLinear(code: number): number {
  const u = ~code & 0xff;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = ((mantissa << 3) + 0x84) * 2 ** exponent - 0x84;
  return u & 0x80 ? -magnitude : magnitude;
}

export function alawToLinear(code: number): number {
  const a = code ^ 0x55;
  const segment = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  const magnitude = segment === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) * 2 ** (segment - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

const ulawSegmentEnds = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
const alawSegmentEnds = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

/** µ-law encoding on the 14-bit scale with the segment end table of G.711 Table 2a. */
export function linearToUlaw(sample: number): number {
  let value = Math.trunc(sample / 4);
  let mask = 0xff;
  if (value < 0) {
    value = -value;
    mask = 0x7f;
  }
  value = Math.min(value, 8159) + 0x21;
  const segment = ulawSegmentEnds.findIndex((end) => value <= end);
  if (segment < 0) return 0x7f ^ mask;
  return (((segment << 4) | ((value >> (segment + 1)) & 0x0f)) ^ mask) & 0xff;
}

/** A-law encoding on the 13-bit scale with the segment end table of G.711 Table 1a. */
export function linearToAlaw(sample: number): number {
  let value = Math.floor(sample / 8);
  let mask = 0xd5;
  if (value < 0) {
    mask = 0x55;
    value = -value - 1;
  }
  const segment = alawSegmentEnds.findIndex((end) => value <= end);
  if (segment < 0) return 0x7f ^ mask;
  const mantissa = segment < 2 ? (value >> 1) & 0x0f : (value >> segment) & 0x0f;
  return ((segment << 4) | mantissa) ^ mask;
}
