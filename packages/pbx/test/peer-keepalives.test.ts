import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildSipConf, parseConf } from '@tandem/config';
import { PeerDirectory, silentLogger } from '@tandem/registrar';
import type { Destination } from '@tandem/sip';
import { PeerKeepalives } from '../src/chan-sip/peer-keepalives.js';

afterEach(() => vi.useRealTimers());

describe('PeerKeepalives (chan_sip keepalive=)', () => {
  it('sends a CRLF at once and every keepalive seconds to peers with an address only', async () => {
    vi.useFakeTimers();
    const sipConf = buildSipConf(
      parseConf('[general]\n[nat-phone]\ntype=peer\nhost=192.0.2.7\nport=5070\nkeepalive=30\n[quiet]\ntype=peer\nhost=192.0.2.8\n[roamer]\ntype=friend\nhost=dynamic\nkeepalive=yes\n', { file: 'sip.conf' }),
    ).config;
    const directory = new PeerDirectory({ sipConf, logger: silentLogger });
    await directory.resolveStaticAddresses();
    const sent: { bytes: string; destination: Destination }[] = [];
    const endpoint = {
      transport: {
        async send(bytes: Buffer, destination: Destination) {
          sent.push({ bytes: bytes.toString(), destination });
          return undefined as never;
        },
      },
    };
    const keepalives = new PeerKeepalives(directory, endpoint as never, silentLogger);
    keepalives.start();
    expect(sent).toEqual([{ bytes: '\r\n', destination: { address: '192.0.2.7', port: 5070, transport: 'udp' } }]);
    vi.advanceTimersByTime(29_000);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    expect(sent).toHaveLength(2);
    // keepalive=yes is 60 s; the unregistered peer gets nothing.
    vi.advanceTimersByTime(60_000);
    expect(sent.every((entry) => entry.destination.address === '192.0.2.7')).toBe(true);
    keepalives.stop();
    vi.advanceTimersByTime(120_000);
    expect(sent).toHaveLength(4);
    directory.close();
  });
});
