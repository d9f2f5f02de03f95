import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamFramer, type StreamFrame } from '../src/index.js';

const first = 'INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nContent-Length: 5\r\n\r\nhello';
const second = 'OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\nCall-ID: x\r\n\r\n';

function messages(frames: StreamFrame[]): string[] {
  return frames.flatMap((frame) => (frame.kind === 'message' ? [frame.bytes.toString()] : []));
}

describe('StreamFramer', () => {
  it('cuts two messages from one chunk and a message fed byte by byte', () => {
    expect(messages(new StreamFramer(65535).push(Buffer.from(first + second)))).toEqual([first, second]);
    const framer = new StreamFramer(65535);
    const out: StreamFrame[] = [];
    for (const byte of Buffer.from(first + second)) out.push(...framer.push(Buffer.from([byte])));
    expect(messages(out)).toEqual([first, second]);
    expect(framer.pendingBytes).toBe(0);
  });

  it('frames correctly across any chunk boundaries', () => {
    const wire = Buffer.from(`${first}\r\n\r\n${second}${first}`);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: wire.length }), { maxLength: 12 }), (cuts) => {
        const framer = new StreamFramer(65535);
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const out: StreamFrame[] = [];
        let start = 0;
        for (const point of [...points, wire.length]) {
          out.push(...framer.push(wire.subarray(start, point)));
          start = point;
        }
        expect(messages(out)).toEqual([first, second, first]);
        expect(out.filter((frame) => frame.kind === 'ping')).toHaveLength(1);
      }),
    );
  });

  it('reports CRLFCRLF pings and ignores single CRLFs', () => {
    const framer = new StreamFramer(65535);
    expect(framer.push(Buffer.from('\r\n\r\n'))).toEqual([{ kind: 'ping' }]);
    expect(framer.push(Buffer.from('\r\n'))).toEqual([]);
    expect(messages(framer.push(Buffer.from(second)))).toEqual([second]);
  });

  it('treats a missing or bad Content-Length as 0', () => {
    const noLength = 'OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n';
    expect(messages(new StreamFramer(65535).push(Buffer.from(noLength + second)))).toEqual([noLength, second]);
  });

  it('reports a message over the limit, by headers or by declared body', () => {
    expect(new StreamFramer(100).push(Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nX: ${'y'.repeat(200)}`))).toEqual([{ kind: 'too-large', size: 228 }]);
    expect(new StreamFramer(100).push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 1000\r\n\r\n'))[0]?.kind).toBe('too-large');
  });
});
