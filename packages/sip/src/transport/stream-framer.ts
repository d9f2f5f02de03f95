/** What {@link StreamFramer.push} finds in the stream. */
export type StreamFrame =
  | { readonly kind: 'message'; readonly bytes: Buffer }
  /** A CRLFCRLF keep-alive ping (RFC 5626 §3.5.1); answer with a CRLF pong. */
  | { readonly kind: 'ping' }
  /** The pending message is larger than the limit: close the connection. */
  | { readonly kind: 'too-large'; readonly size: number };

const CRLFCRLF = Buffer.from('\r\n\r\n');
const contentLengthPattern = /\n[ \t]*(?:content-length|l)[ \t]*:[ \t]*(-?\d+)/i;

/**
 * Cuts SIP messages out of a byte stream (TCP, TLS) by Content-Length (RFC 3261 §18.3), as
 * chan_sip's `check_message_integrity()` does: the headers end at the first CRLFCRLF, a missing
 * or bad Content-Length counts as 0. Leading CRLFs between messages are keep-alives; a
 * CRLFCRLF is reported as a ping. Messages over `maxMessageBytes` are reported as too large.
 */
export class StreamFramer {
  readonly #maxMessageBytes: number;
  #buffer: Buffer = Buffer.alloc(0);
  /** Where to resume looking for CRLFCRLF in the buffer (no rescans of what was searched). */
  #searchFrom = 0;

  constructor(maxMessageBytes: number) {
    this.#maxMessageBytes = maxMessageBytes;
  }

  /** Bytes held while waiting for the rest of a message. */
  get pendingBytes(): number {
    return this.#buffer.length;
  }

  /** Adds a chunk and returns every complete frame it finishes. */
  push(chunk: Buffer): StreamFrame[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const frames: StreamFrame[] = [];
    for (;;) {
      const frame = this.#next();
      if (frame === undefined) return frames;
      frames.push(frame);
      if (frame.kind === 'too-large') return frames;
    }
  }

  #next(): StreamFrame | undefined {
    const leading = this.#leadingLineBreaks();
    if (leading > 0) {
      if (leading === this.#buffer.length && leading < 4) return undefined;
      const ping = this.#buffer.subarray(0, leading).includes(CRLFCRLF);
      this.#consume(leading);
      if (ping) return { kind: 'ping' };
    }
    if (this.#buffer.length === 0) return undefined;
    const headerEnd = this.#buffer.indexOf(CRLFCRLF, this.#searchFrom);
    if (headerEnd < 0) {
      this.#searchFrom = Math.max(0, this.#buffer.length - 3);
      return this.#buffer.length > this.#maxMessageBytes ? { kind: 'too-large', size: this.#buffer.length } : undefined;
    }
    const head = this.#buffer.subarray(0, headerEnd).toString('latin1');
    const declared = contentLengthPattern.exec(head);
    const bodyLength = declared === null ? 0 : Math.max(0, Number(declared[1]));
    const total = headerEnd + 4 + bodyLength;
    if (total > this.#maxMessageBytes) return { kind: 'too-large', size: total };
    if (this.#buffer.length < total) return undefined;
    const bytes = Buffer.from(this.#buffer.subarray(0, total));
    this.#consume(total);
    return { kind: 'message', bytes };
  }

  #leadingLineBreaks(): number {
    let count = 0;
    while (count < this.#buffer.length && (this.#buffer[count] === 0x0d || this.#buffer[count] === 0x0a)) count++;
    return count;
  }

  #consume(bytes: number): void {
    this.#buffer = this.#buffer.subarray(bytes);
    this.#searchFrom = 0;
  }
}
