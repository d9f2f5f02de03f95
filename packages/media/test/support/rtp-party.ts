// A SIP party's media side for tests: a UDP socket on loopback that sends and receives RTP.
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Socket } from 'node:dgram';

export interface RtpPacket {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

export function buildRtp(packet: Partial<RtpPacket> & { sequence: number; timestamp: number }): Buffer {
  const payload = packet.payload ?? Buffer.alloc(160, 0xff);
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = ((packet.marker ?? false) ? 0x80 : 0) | (packet.payloadType ?? 0);
  header.writeUInt16BE(packet.sequence & 0xffff, 2);
  header.writeUInt32BE(packet.timestamp >>> 0, 4);
  header.writeUInt32BE((packet.ssrc ?? 0x11223344) >>> 0, 8);
  return Buffer.concat([header, payload]);
}

export function parseRtp(data: Buffer): RtpPacket {
  const csrcCount = data[0]! & 0x0f;
  return {
    payloadType: data[1]! & 0x7f,
    marker: (data[1]! & 0x80) !== 0,
    sequence: data.readUInt16BE(2),
    timestamp: data.readUInt32BE(4),
    ssrc: data.readUInt32BE(8),
    payload: data.subarray(12 + 4 * csrcCount),
  };
}

export interface Received {
  data: Buffer;
  address: string;
  port: number;
}

/** A UDP socket that records everything it receives. */
export class UdpParty {
  readonly received: Received[] = [];
  #waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket, readonly address: string, readonly port: number) {
    socket.on('message', (data, info) => {
      this.received.push({ data, address: info.address, port: info.port });
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async open(address: string, port = 0): Promise<UdpParty> {
    const socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, address, () => resolve());
    });
    return new UdpParty(socket, address, socket.address().port);
  }

  send(data: Buffer, port: number, address = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(data, port, address, (error) => (error ? reject(error) : resolve())));
  }

  /** Resolves once `count` datagrams have arrived, or after `timeoutMs` with what arrived. */
  async waitFor(count: number, timeoutMs = 3000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received;
  }

  close(): void {
    this.socket.close();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `count` RTP packets to `port`, 20 ms of G.711 each, every `intervalMs` (0 = burst). */
export async function sendStream(
  party: UdpParty,
  port: number,
  options: { count: number; intervalMs?: number; payloadType?: number; ssrc?: number; firstSequence?: number; skip?: (index: number) => boolean; address?: string; payload?: (index: number) => Buffer },
): Promise<void> {
  const first = options.firstSequence ?? 1000;
  for (let index = 0; index < options.count; index++) {
    if (!(options.skip?.(index) ?? false)) {
      await party.send(
        buildRtp({
          sequence: first + index,
          timestamp: 8000 + index * 160,
          payloadType: options.payloadType ?? 0,
          ssrc: options.ssrc ?? 0x11223344,
          payload: options.payload?.(index) ?? Buffer.alloc(160, index & 0xff),
        }),
        port,
        options.address,
      );
    }
    if ((options.intervalMs ?? 0) > 0) await sleep(options.intervalMs!);
  }
}
