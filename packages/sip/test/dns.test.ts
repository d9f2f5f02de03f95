import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enumDomain, orderSrvChanSip, orderSrvRfc2782, parseUri, SipResolver, type SrvRecord } from '../src/index.js';
import { DnsTestServer } from '../src/testing/index.js';

const srv = (name: string, priority: number, weight: number, port = 5060): SrvRecord => ({ name, priority, weight, port });
/** The same record in dns-packet's shape, for the test zone. */
const zoneSrv = (target: string, priority: number, weight: number, port: number) => ({ target, priority, weight, port });

/** A scripted random source: returns the given values in turn. */
function script(...values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length] ?? 0;
}

describe('SRV ordering', () => {
  it('chan_sip: lowest priority first, draw compared with each record’s own weight', () => {
    const records = [srv('b', 20, 0), srv('a1', 10, 10), srv('a2', 10, 30)];
    // Sum 40; draw = 1 + floor(40 * 0.2) = 9: a1 (weight 10 >= 9) comes first.
    expect(orderSrvChanSip(records, script(0.2, 0)).map((r) => r.name)).toEqual(['a1', 'a2', 'b']);
    // draw = 1 + floor(40 * 0.5) = 21: a1 (10) is skipped, a2 (30) is taken.
    expect(orderSrvChanSip(records, script(0.5, 0)).map((r) => r.name)).toEqual(['a2', 'a1', 'b']);
    // The quirk: draws 1..10 pick a1, 11..30 pick a2, 31..40 match nobody and draw again (here 1: a1).
    let a1First = 0;
    for (let i = 0; i < 40; i++) if (orderSrvChanSip(records, script(i / 40, 0))[0]?.name === 'a1') a1First++;
    expect(a1First).toBe(20);
    expect(orderSrvChanSip([srv('z', 5, 0), srv('y', 1, 0)]).map((r) => r.name)).toEqual(['y', 'z']);
  });

  it('RFC 2782: weights by running sum, weight 0 only when drawn at 0', () => {
    const records = [srv('a1', 10, 10), srv('a2', 10, 30), srv('zero', 10, 0)];
    let a1First = 0;
    for (let i = 0; i < 41; i++) if (orderSrvRfc2782(records, script(i / 41, 0.99))[0]?.name === 'a1') a1First++;
    expect(a1First).toBe(10);
    expect(orderSrvRfc2782(records, script(0, 0.99, 0.99))[0]?.name).toBe('zero');
  });
});

describe('SipResolver against the DNS test server', () => {
  let dns: DnsTestServer;
  beforeAll(async () => {
    dns = await DnsTestServer.start({
      zone: {
        'provider.test': { A: ['127.0.1.10'], AAAA: ['::1'] },
        '_sip._udp.provider.test': { SRV: [zoneSrv('sip1.provider.test', 10, 100, 5070), zoneSrv('sip2.provider.test', 20, 100, 5080)] },
        '_sip._tcp.provider.test': { SRV: [zoneSrv('sip1.provider.test', 10, 0, 5071)] },
        'sip1.provider.test': { A: ['127.0.1.11', '127.0.1.12'] },
        'sip2.provider.test': { A: ['127.0.1.13'] },
        'naptr.test': {
          NAPTR: [
            { order: 20, preference: 10, flags: 'S', services: 'SIP+D2U', regexp: '', replacement: '_sip._udp.naptr.test' },
            { order: 10, preference: 10, flags: 'S', services: 'SIP+D2T', regexp: '', replacement: '_sip._tcp.naptr.test' },
            { order: 5, preference: 10, flags: 'S', services: 'SIPS+D2T', regexp: '', replacement: '_sips._tcp.naptr.test' },
          ],
        },
        '_sip._tcp.naptr.test': { SRV: [zoneSrv('tcp.naptr.test', 1, 0, 5090)] },
        '_sip._udp.naptr.test': { SRV: [zoneSrv('udp.naptr.test', 1, 0, 5091)] },
        'tcp.naptr.test': { A: ['127.0.1.20'] },
        'udp.naptr.test': { A: ['127.0.1.21'] },
        'plain.test': { A: ['127.0.1.30'] },
        'dot.test': {},
        '_sip._udp.dot.test': { SRV: [zoneSrv('.', 0, 0, 0)] },
        '4.3.2.1.e164.arpa': {
          NAPTR: [
            { order: 100, preference: 20, flags: 'u', services: 'E2U+tel', regexp: '!^.*$!tel:+1234!', replacement: '.' },
            { order: 100, preference: 10, flags: 'u', services: 'E2U+sip', regexp: '!^\\+?(.*)$!sip:\\1@enum.test!', replacement: '.' },
          ],
        },
      },
    });
  });
  afterAll(() => dns.close());

  const resolver = () => new SipResolver({ servers: [dns.server], timeoutMs: 300, tries: 1, random: () => 0 });

  it('chan_sip mode takes the first SRV target with its port, only one target', async () => {
    const target = await resolver().resolveChanSip({ host: 'provider.test', transport: 'udp' }, { srvLookup: true, family: 4 });
    expect(target).toEqual({ transport: 'udp', address: '127.0.1.11', port: 5070, host: 'sip1.provider.test' });
    const tcp = await resolver().resolveChanSip({ host: 'provider.test', transport: 'tcp' }, { srvLookup: true, family: 4 });
    expect(tcp.port).toBe(5071);
  });

  it('chan_sip mode with srvlookup=no, a port, or no SRV uses A/AAAA and 5060/5061', async () => {
    const r = resolver();
    expect(await r.resolveChanSip({ host: 'provider.test', transport: 'udp' }, { srvLookup: false, family: 4 })).toMatchObject({ address: '127.0.1.10', port: 5060 });
    expect(await r.resolveChanSip({ host: 'provider.test', transport: 'udp', port: 5099 }, { srvLookup: true, family: 4 })).toMatchObject({ address: '127.0.1.10', port: 5099 });
    expect(await r.resolveChanSip({ host: 'provider.test', transport: 'udp' }, { srvLookup: false, family: 6 })).toMatchObject({ address: '::1' });
    expect(await r.resolveChanSip({ host: 'plain.test', transport: 'tls' }, { srvLookup: true })).toMatchObject({ address: '127.0.1.30', port: 5061 });
    expect(await r.resolveChanSip({ host: '127.0.0.9', transport: 'udp' }, { srvLookup: true })).toMatchObject({ address: '127.0.0.9', port: 5060 });
    expect(await r.resolveChanSip({ host: 'dot.test', transport: 'udp' }, { srvLookup: true }).catch((error: { code: string }) => error.code)).toBe('dns-failed');
    await expect(r.resolveChanSip({ host: 'nowhere.test', transport: 'udp' }, { srvLookup: true })).rejects.toMatchObject({ code: 'dns-failed' });
  });

  it('RFC 3263 mode lists every SRV target address in order for fail-over', async () => {
    const targets = await resolver().resolveRfc3263(parseUri('sip:provider.test'), { transports: ['udp'], family: 4 });
    expect(targets.map((t) => `${t.transport}:${t.address}:${t.port}`)).toEqual(['udp:127.0.1.11:5070', 'udp:127.0.1.12:5070', 'udp:127.0.1.13:5080']);
  });

  it('RFC 3263 mode follows NAPTR order for supported transports and skips sips for sip: URIs', async () => {
    const targets = await resolver().resolveRfc3263(parseUri('sip:naptr.test'), { family: 4 });
    expect(targets.map((t) => `${t.transport}:${t.address}:${t.port}`)).toEqual(['tcp:127.0.1.20:5090', 'udp:127.0.1.21:5091']);
    const udpOnly = await resolver().resolveRfc3263(parseUri('sip:naptr.test'), { transports: ['udp'], family: 4 });
    expect(udpOnly.map((t) => t.address)).toEqual(['127.0.1.21']);
  });

  it('RFC 3263 mode: explicit transport, explicit port, IP literal and A fallback', async () => {
    const r = resolver();
    expect((await r.resolveRfc3263(parseUri('sip:provider.test;transport=tcp'), { family: 4 }))[0]).toMatchObject({ transport: 'tcp', port: 5071 });
    expect(await r.resolveRfc3263(parseUri('sip:provider.test:5555'), { family: 4 })).toEqual([{ transport: 'udp', address: '127.0.1.10', port: 5555, host: 'provider.test' }]);
    expect(await r.resolveRfc3263(parseUri('sips:[::1]'))).toEqual([{ transport: 'tls', address: '::1', port: 5061, host: '::1' }]);
    expect(await r.resolveRfc3263(parseUri('sip:plain.test'), { family: 4 })).toEqual([{ transport: 'udp', address: '127.0.1.30', port: 5060, host: 'plain.test' }]);
  });

  it('reports a DNS timeout as dns-failed', async () => {
    dns.silent.add('_sip._udp.slow.test');
    await expect(resolver().resolveChanSip({ host: 'slow.test', transport: 'udp' }, { srvLookup: true })).rejects.toMatchObject({ code: 'dns-failed' });
  });

  it('looks up ENUM NAPTR records sorted by order then preference', async () => {
    expect(enumDomain('+1234')).toBe('4.3.2.1.e164.arpa');
    expect(enumDomain('12-34', 'e164.org')).toBe('4.3.2.1.e164.org');
    const records = await resolver().naptr(enumDomain('+1234'));
    expect(records.map((record) => record.service)).toEqual(['E2U+sip', 'E2U+tel']);
    expect(records[0]?.regexp).toBe('!^\\+?(.*)$!sip:\\1@enum.test!');
    expect(await resolver().naptr('nothing.test')).toEqual([]);
  });
});
