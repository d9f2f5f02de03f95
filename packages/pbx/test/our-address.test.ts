import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildSipConf, parseConf, type SipGeneral } from '@tandem/config';
import { silentLogger } from '@tandem/registrar';
import type { Destination, LocalEndpoint } from '@tandem/sip';
import { OurAddress } from '../src/chan-sip/our-address.js';

function general(lines: string): SipGeneral {
  return buildSipConf(parseConf(`[general]\n${lines}\n`, { file: 'sip.conf' })).config.general;
}

const endpoint = {
  transport: {
    async localEndpointFor(destination: Pick<Destination, 'transport' | 'address'>): Promise<LocalEndpoint> {
      return { transport: destination.transport, address: '192.168.1.10', port: destination.transport === 'tls' ? 5061 : 5060 };
    },
  },
} as const;

function ourAddress(settings: SipGeneral, lookups: string[][] = []) {
  const asked: string[] = [];
  const address = new OurAddress({
    endpoint: endpoint as never,
    general: () => settings,
    logger: silentLogger,
    resolver: {
      async addresses(name: string) {
        asked.push(name);
        return lookups.shift() ?? [];
      },
    },
  });
  return { address, asked };
}

afterEach(() => vi.useRealTimers());

describe('OurAddress (chan_sip ast_sip_ouraddrfor())', () => {
  it('writes externaddr toward parties outside localnet and the local address inside', async () => {
    const { address } = ourAddress(general('localnet=192.168.0.0/16\nexternaddr=203.0.113.5:5070'));
    expect(await address.toward({ transport: 'udp', address: '198.51.100.7' })).toEqual({ transport: 'udp', address: '203.0.113.5', port: 5070 });
    expect(await address.toward({ transport: 'udp', address: '192.168.4.4' })).toEqual({ transport: 'udp', address: '192.168.1.10', port: 5060 });
  });

  it('looks externhost up again only after externrefresh seconds, keeping the last address on failure', async () => {
    vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') });
    const { address, asked } = ourAddress(general('localnet=192.168.0.0/16\nexternhost=pbx.example.com\nexternrefresh=30'), [['203.0.113.9'], [], ['203.0.113.10']]);
    const outside = { transport: 'udp', address: '198.51.100.7' } as const;
    expect((await address.toward(outside)).address).toBe('203.0.113.9');
    expect((await address.toward(outside)).address).toBe('203.0.113.9');
    expect(asked).toHaveLength(1);
    vi.advanceTimersByTime(31_000);
    expect((await address.toward(outside)).address).toBe('203.0.113.9');
    vi.advanceTimersByTime(31_000);
    expect((await address.toward(outside)).address).toBe('203.0.113.10');
    expect(asked).toEqual(['pbx.example.com', 'pbx.example.com', 'pbx.example.com']);
  });

  it('offers media_address in SDP when set', () => {
    const ours = { transport: 'udp', address: '192.168.1.10', port: 5060 } as const;
    expect(ourAddress(general('')).address.mediaAddress(ours)).toBe('192.168.1.10');
    expect(ourAddress(general('media_address=198.51.100.99')).address.mediaAddress(ours)).toBe('198.51.100.99');
  });
});
