// What the kernel's UDP table (/proc/net/udp, IPv4) says of a local port: the remote address
// its socket is connected to, if any.
import { readFileSync } from 'node:fs';

/** `address:port` the socket bound to `localPort` is connected to; undefined when unconnected or absent. */
export function connectedRemoteOf(localPort: number): string | undefined {
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const [, local, remote] = line.trim().split(/\s+/);
    if (local === undefined || remote === undefined) continue;
    if (Number.parseInt(local.split(':')[1]!, 16) !== localPort) continue;
    const [hexAddress, hexPort] = remote.split(':') as [string, string];
    if (/^0+$/.test(hexAddress) && /^0+$/.test(hexPort)) return undefined;
    // The address is in host byte order (little endian here): last octet first.
    const octets = hexAddress.match(/../g)!.map((pair) => Number.parseInt(pair, 16)).reverse();
    return `${octets.join('.')}:${Number.parseInt(hexPort, 16)}`;
  }
  return undefined;
}
