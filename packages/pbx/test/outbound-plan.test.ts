import { describe, expect, it } from 'vitest';
import { buildSipConf, parseConf, type SipConf } from '@tandem/config';
import { PeerDirectory, silentLogger, type Peer } from '@tandem/registrar';
import type { Destination, ResolvedTarget, SipUri, TransportProtocol } from '@tandem/sip';
import type { ChanSip } from '../src/chan-sip/chan-sip.js';
import { parseSipDialString } from '../src/chan-sip/dial-string.js';
import { digestCredentials, planOutbound } from '../src/chan-sip/outbound-request.js';
import type { OutboundPlan, SipChannel } from '../src/chan-sip/sip-channel.js';

interface Lookup {
  readonly kind: 'chan_sip' | 'rfc3263';
  readonly host: string;
  readonly transport?: string;
  readonly srvLookup?: boolean;
}

/** The parts of ChanSip that planning reads, with a scripted resolver. */
function driver(conf: string, answers: Record<string, string[]> = {}) {
  const sipConf: SipConf = buildSipConf(parseConf(conf, { file: 'sip.conf' })).config;
  const lookups: Lookup[] = [];
  const targetsFor = (host: string, port: number | undefined, transport: TransportProtocol): ResolvedTarget[] => {
    const addresses = /^[\d.]+$/.test(host) ? [host] : (answers[host] ?? []);
    return addresses.map((address) => ({ transport, address, port: port ?? 5060, host }));
  };
  const sip = {
    general: sipConf.general,
    config: { sip: sipConf },
    logger: silentLogger,
    resolver: {
      async resolveChanSip(target: { host: string; port?: number; transport: TransportProtocol }, options: { srvLookup: boolean }) {
        lookups.push({ kind: 'chan_sip', host: target.host, transport: target.transport, srvLookup: options.srvLookup });
        const [first] = targetsFor(target.host, target.port, target.transport);
        if (first === undefined) throw new Error(`No such host: ${target.host}`);
        return first;
      },
      async resolveRfc3263(uri: Pick<SipUri, 'host' | 'port' | 'params'>) {
        const transport = uri.params.find((param) => param.name === 'transport')?.value ?? undefined;
        lookups.push({ kind: 'rfc3263', host: uri.host, ...(transport === undefined || transport === null ? {} : { transport }) });
        return targetsFor(uri.host, uri.port, (transport ?? 'udp') as TransportProtocol);
      },
    },
    ourAddress: {
      async toward(destination: Destination) {
        return { transport: destination.transport, address: '192.0.2.1', port: 5060 };
      },
    },
  } as unknown as ChanSip;
  const directory = new PeerDirectory({ sipConf, logger: silentLogger });
  return { sip, lookups, directory, sipConf };
}

async function plan(setup: ReturnType<typeof driver>, dialString: string): Promise<OutboundPlan | { cause: number }> {
  const dial = parseSipDialString(dialString);
  if (dial === undefined) throw new Error('bad dial string');
  const candidate = dial.uri === undefined ? setup.directory.get(dial.peerOrHost) : undefined;
  const peer: Peer | undefined = candidate?.settings.isPeer === true ? candidate : undefined;
  await setup.directory.resolveStaticAddresses();
  const channel = { settings: peer?.settings ?? setup.sipConf.general.deviceDefaults, variables: new Map<string, string>() } as unknown as SipChannel;
  return planOutbound(setup.sip, channel, { dial, peer });
}

function expectPlan(result: OutboundPlan | { cause: number }): OutboundPlan {
  if ('cause' in result) throw new Error(`cause ${result.cause}`);
  return result;
}

describe('planOutbound (chan_sip create_addr(), RFC 3263 beyond it)', () => {
  it('dials a full SIP URI over the transport it names, through RFC 3263 with srvlookup=yes', async () => {
    const setup = driver('[general]\n', { 'example.com': ['198.51.100.4'] });
    const result = expectPlan(await plan(setup, 'sip:alice@example.com;transport=tcp'));
    expect(setup.lookups).toEqual([{ kind: 'rfc3263', host: 'example.com', transport: 'tcp' }]);
    expect(result.destination).toEqual({ transport: 'tcp', address: '198.51.100.4', port: 5060 });
    expect(result.requestUri).toBe('sip:alice@example.com;transport=tcp');
    expect(result.to).toBe('<sip:alice@example.com;transport=tcp>');
    expect(result.callId).toMatch(/^[0-9a-f]{32}@192\.0\.2\.1$/);
  });

  it('keeps every RFC 3263 target as a chain of fail-over plans with the same Call-ID', async () => {
    const setup = driver('[general]\n', { 'trunk.example': ['198.51.100.1', '198.51.100.2', '198.51.100.3'] });
    const first = expectPlan(await plan(setup, '1234@trunk.example'));
    expect(setup.lookups).toEqual([{ kind: 'rfc3263', host: 'trunk.example' }]);
    const second = await first.failover?.();
    const third = await second?.failover?.();
    expect([first, second, third].map((entry) => entry?.destination.address)).toEqual(['198.51.100.1', '198.51.100.2', '198.51.100.3']);
    expect(third?.failover).toBeUndefined();
    expect(third?.callId).toBe(first.callId);
    expect(third?.requestUri).toBe('sip:1234@trunk.example');
  });

  it('with srvlookup=no resolves the host as chan_sip does (A/AAAA, default transport)', async () => {
    const setup = driver('[general]\nsrvlookup=no\n', { 'trunk.example': ['198.51.100.1', '198.51.100.2'] });
    const result = expectPlan(await plan(setup, '1234@trunk.example'));
    expect(setup.lookups).toEqual([{ kind: 'chan_sip', host: 'trunk.example', transport: 'udp', srvLookup: false }]);
    expect(result.destination.address).toBe('198.51.100.1');
    expect(result.failover).toBeUndefined();
  });

  it('answers cause 20 when the host does not resolve', async () => {
    expect(await plan(driver('[general]\n'), '1234@nowhere.example')).toEqual({ cause: 20 });
  });

  it('sends to the outbound proxy: the dial string next hop, else the peer one, else [general] (,force kept)', async () => {
    const conf = '[general]\noutboundproxy=192.0.2.50:5070,force\n[trunk]\ntype=peer\nhost=198.51.100.9\n[viaproxy]\ntype=peer\nhost=198.51.100.10\noutboundproxy=tcp://192.0.2.60\n';
    const setup = driver(conf);
    const general = expectPlan(await plan(setup, 'trunk/5551234'));
    expect(general.destination).toEqual({ transport: 'udp', address: '192.0.2.50', port: 5070 });
    expect(general.forceProxy).toBe(true);
    expect(general.requestUri).toBe('sip:5551234@198.51.100.9');
    const peer = expectPlan(await plan(setup, 'viaproxy'));
    expect(peer.destination).toEqual({ transport: 'tcp', address: '192.0.2.60', port: 5060 });
    expect(peer.forceProxy).toBeUndefined();
    const nextHop = expectPlan(await plan(setup, 'trunk/5551234/192.0.2.70:5080'));
    expect(nextHop.destination).toEqual({ transport: 'udp', address: '192.0.2.70', port: 5080 });
  });

  it("preloads a supportpath peer's registered Path as the route set and sends to its first hop", async () => {
    const setup = driver('[general]\n[roamer]\ntype=friend\nhost=dynamic\nsupportpath=yes\n', { 'edge.example': ['203.0.113.5'] });
    const peer = setup.directory.get('roamer');
    if (peer === undefined) throw new Error('no peer');
    peer.binding = {
      contact: 'sip:roamer@10.0.0.8:5062',
      address: '10.0.0.8',
      port: 5062,
      transport: 'udp',
      expirySeconds: 3600,
      expiresAt: Date.now() + 3_600_000,
      registeredAt: Date.now(),
      userAgent: '',
      path: ['<sip:edge.example;lr>,<sip:core.example;lr>'],
    };
    const result = expectPlan(await plan(setup, 'roamer'));
    expect(result.routeSet).toEqual(['sip:edge.example;lr', 'sip:core.example;lr']);
    expect(result.destination).toEqual({ transport: 'udp', address: '203.0.113.5', port: 5060 });
    expect(result.requestUri).toBe('sip:roamer@10.0.0.8:5062');
  });
});

describe('digestCredentials (chan_sip build_reply_digest())', () => {
  const plan = { authUser: 'trunkuser', secret: 'peersecret', md5secret: '', realmCredentials: [{ user: 'realmuser', realm: 'Provider.Example', secret: 'realmsecret', file: 'sip.conf', line: 1 }] };

  it('prefers a credential for the challenge realm (case-insensitive), else the peer user and secret', () => {
    expect(digestCredentials(plan, 'provider.example')).toEqual({ username: 'realmuser', secret: 'realmsecret', md5secret: '' });
    expect(digestCredentials(plan, 'other')).toEqual({ username: 'trunkuser', secret: 'peersecret', md5secret: '' });
  });

  it('has nothing to answer with without a user or a secret', () => {
    expect(digestCredentials({ ...plan, secret: '', realmCredentials: [] }, 'other')).toBeUndefined();
    expect(digestCredentials({ ...plan, authUser: '', realmCredentials: [] }, 'other')).toBeUndefined();
  });
});
