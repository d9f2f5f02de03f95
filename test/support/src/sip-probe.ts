import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

/**
 * Sends one SIP OPTIONS over UDP and resolves with the status line of the answer, or
 * undefined when nothing answers within `timeoutMs`. `localAddress` picks the address it is
 * sent from (default the loopback address of the family).
 */
export function sipOptionsPing(address: string, port: number, timeoutMs = 500, localAddress?: string): Promise<string | undefined> {
  const family = address.includes(':') ? 'udp6' : 'udp4';
  const socket = createSocket(family);
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const finish = (value: string | undefined): void => {
      clearTimeout(timer);
      socket.close();
      resolve(value);
    };
    socket.on('message', (data) => finish(data.toString('latin1').split('\r\n')[0]));
    socket.on('error', () => finish(undefined));
    socket.bind(0, localAddress ?? (address.includes(':') ? '::1' : '127.0.0.1'), () => {
      const local = socket.address();
      const host = address.includes(':') ? `[${address}]` : address;
      const id = randomBytes(8).toString('hex');
      const message = [
        `OPTIONS sip:ping@${host}:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${local.address}:${local.port};branch=z9hG4bK${id};rport`,
        'Max-Forwards: 70',
        `From: <sip:probe@${local.address}>;tag=${id.slice(0, 8)}`,
        `To: <sip:ping@${host}>`,
        `Call-ID: ${id}@probe`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(message, port, address);
    });
  });
}

/** Polls with OPTIONS until the server answers or `timeoutMs` passes. */
export async function waitForSip(address: string, port: number, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await sipOptionsPing(address, port)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
