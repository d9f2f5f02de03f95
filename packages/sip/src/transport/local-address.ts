import { createSocket } from 'node:dgram';
import { ipFamily, normalizeAddress } from './address-family.js';

/**
 * The local address the kernel would use to reach `remoteAddress` (chan_sip: `ast_ouraddrfor()`):
 * a connected UDP socket's local address, no packet sent. `undefined` when there is no route.
 */
export async function routeLocalAddress(remoteAddress: string): Promise<string | undefined> {
  const family = ipFamily(remoteAddress);
  if (family === 0) return undefined;
  const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
  try {
    return await new Promise<string | undefined>((resolve) => {
      socket.once('error', () => resolve(undefined));
      socket.connect(9, normalizeAddress(remoteAddress), () => {
        try {
          resolve(normalizeAddress(socket.address().address));
        } catch {
          resolve(undefined);
        }
      });
    });
  } finally {
    socket.close();
  }
}
