/**
 * The caller's media in the dialplan tests: a UDP socket at the address and port the caller's
 * SDP offers, which records every RTP packet Tandem sends and sends G.711 audio and RFC 4733
 * telephone-events (DTMF) to Tandem's relay port.
 */
import { createSocket, type Socket } from 'node:dgram';

/** One RTP packet as received (RFC 3550 §5.1). */
export interface RtpPacket {
  readonly payloadType: number;
  readonly marker: boolean;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly payload: Buffer;
  /** When it arrived (ms, performance.now()). */
  readonly at: number;
}

/** RFC 4733 §3.2 event codes of the DTMF digits. */
const DTMF_EVENTS: Readonly<Record<string, number>> = {
  '0': 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7, '8': 8, '9': 9, '*': 10, '#': 11, A: 12, B: 13, C: 14, D: 15,
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A caller's RTP socket. */
export class CallerMedia implements AsyncDisposable {
  readonly packets: RtpPacket[] = [];
  readonly #socket: Socket;
  #sequence = 1000;
  #timestamp = 80_000;
  readonly #ssrc = 0x0badcafe;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (data) => {
      if (data.length < 12 || data[0] === undefined || (data[0] & 0xc0) !== 0x80) return;
      const csrcCount = data[0] & 0x0f;
      const second = data[1] ?? 0;
      this.packets.push({
        payloadType: second & 0x7f,
        marker: (second & 0x80) !== 0,
        sequence: data.readUInt16BE(2),
        timestamp: data.readUInt32BE(4),
        ssrc: data.readUInt32BE(8),
        payload: Buffer.from(data.subarray(12 + 4 * csrcCount)),
        at: performance.now(),
      });
    });
  }

  /** Binds `address:port`. */
  static async bind(address: string, port: number): Promise<CallerMedia> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, address, () => resolve());
    });
    return new CallerMedia(socket);
  }

  /** The packets of one payload type, in sequence order. */
  packetsOf(payloadType: number): RtpPacket[] {
    return this.packets.filter((packet) => packet.payloadType === payloadType).sort((a, b) => a.sequence - b.sequence);
  }

  /** Waits until `count` packets of `payloadType` arrived, or `timeoutMs`. */
  async waitForPackets(payloadType: number, count: number, timeoutMs = 10_000): Promise<RtpPacket[]> {
    const deadline = performance.now() + timeoutMs;
    while (this.packetsOf(payloadType).length < count && performance.now() < deadline) await sleep(20);
    return this.packetsOf(payloadType);
  }

  #send(host: string, port: number, payloadType: number, marker: boolean, timestamp: number, payload: Buffer): void {
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = (marker ? 0x80 : 0) | payloadType;
    header.writeUInt16BE(this.#sequence & 0xffff, 2);
    header.writeUInt32BE(timestamp >>> 0, 4);
    header.writeUInt32BE(this.#ssrc, 8);
    this.#sequence += 1;
    this.#socket.send(Buffer.concat([header, payload]), port, host);
  }

  /** Sends `count` 20 ms packets of G.711 silence (`payloadType` 0 or 8). */
  async sendAudio(host: string, port: number, count: number, payloadType = 0): Promise<void> {
    const silence = Buffer.alloc(160, payloadType === 8 ? 0xd5 : 0xff);
    for (let i = 0; i < count; i++) {
      this.#send(host, port, payloadType, i === 0, this.#timestamp, silence);
      this.#timestamp += 160;
      await sleep(20);
    }
  }

  /**
   * Sends each digit as an RFC 4733 event (payload type 101): a first packet with the marker
   * bit, updates every 20 ms for `durationMs`, three end packets, then `gapMs` of nothing.
   */
  async sendDigits(host: string, port: number, digits: string, durationMs = 100, gapMs = 100): Promise<void> {
    for (const digit of digits) {
      const event = DTMF_EVENTS[digit.toUpperCase()];
      if (event === undefined) throw new Error(`not a DTMF digit: ${digit}`);
      const start = this.#timestamp;
      const payload = (duration: number, end: boolean): Buffer => {
        const body = Buffer.alloc(4);
        body[0] = event;
        body[1] = (end ? 0x80 : 0) | 10;
        body.writeUInt16BE(duration, 2);
        return body;
      };
      let duration = 0;
      for (let elapsed = 0; elapsed < durationMs; elapsed += 20) {
        duration += 160;
        this.#send(host, port, 101, elapsed === 0, start, payload(duration, false));
        await sleep(20);
      }
      for (let i = 0; i < 3; i++) this.#send(host, port, 101, false, start, payload(duration, true));
      this.#timestamp += duration;
      await sleep(gapMs);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }
}
