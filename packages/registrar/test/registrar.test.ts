import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SipResponse } from '@tandem/sip';
import type { Logger } from '../src/logger.js';
import { PeerDirectory } from '../src/peers/peer-directory.js';
import { Registrar, type RegistrarEvents } from '../src/registrar/registrar.js';
import { EmbeddedStore } from '../src/store/embedded-store.js';
import { answerChallenge, registerRequest, udpSource, wireText, type RegisterInit } from './support/phone.js';
import { sipConfFrom } from './support/sip-conf.js';
import { useTempDir } from './support/temp-dir.js';

const baseConf = `
[general]
realm=tandem
minexpiry=60
maxexpiry=3600
defaultexpiry=120
useragent=Tandem PBX
{general}

[1000]
type=friend
host=dynamic
secret=pass1000
context=office
{peer}

[2000]
type=friend
host=dynamic
md5secret=${'0'.repeat(32)}

[trunk]
type=peer
host=127.0.3.99
secret=trunksecret

[acl-phone]
type=friend
host=dynamic
secret=aclpass
deny=0.0.0.0/0
permit=10.0.0.0/8

[tcp-only]
type=friend
host=dynamic
secret=tcppass
transport=tcp

[nat-phone]
type=friend
host=dynamic
secret=natpass
nat=force_rport

[no-nat]
type=friend
host=dynamic
secret=nonatpass
nat=no

[pathy]
type=friend
host=dynamic
secret=pathpass
supportpath=yes

[guarded]
type=friend
host=dynamic
secret=guardpass
contactdeny=0.0.0.0/0
`;

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (objOrMessage: object | string, message?: string): void => {
    const level = typeof objOrMessage === 'object' && 'asteriskLevel' in objOrMessage ? `${String(objOrMessage.asteriskLevel)} ` : '';
    lines.push(level + (typeof objOrMessage === 'string' ? objOrMessage : (message ?? '')));
  };
  return { lines, debug: record, info: record, warn: record, error: record };
}

interface Setup {
  registrar: Registrar;
  directory: PeerDirectory;
  logger: Logger & { lines: string[] };
  events: { name: keyof RegistrarEvents; peer: string }[];
  store: EmbeddedStore | undefined;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.useRealTimers();
});

function setup(options: { general?: string; peer?: string; store?: EmbeddedStore } = {}): Setup {
  const text = baseConf.replace('{general}', options.general ?? '').replace('{peer}', options.peer ?? '');
  const { conf } = sipConfFrom(text);
  const logger = recordingLogger();
  const directory = new PeerDirectory({ sipConf: conf, logger });
  const registrar = new Registrar({ directory, logger, ...(options.store === undefined ? {} : { store: options.store }) });
  const events: Setup['events'] = [];
  for (const name of ['registered', 'unregistered', 'expired'] as const) {
    registrar.on(name, (event) => events.push({ name, peer: event.peer.name }));
  }
  cleanups.push(() => {
    registrar.close();
    directory.close();
  });
  return { registrar, directory, logger, events, store: options.store };
}

async function send(setupResult: Setup, init: RegisterInit, source = udpSource()): Promise<SipResponse> {
  const response = await setupResult.registrar.handleRegister(registerRequest(init), source);
  if (response === undefined) throw new Error('no response');
  return response;
}

/** 401, then the answer with `secret`; returns the final response. */
async function register(s: Setup, init: RegisterInit, secret: string, source = udpSource(), digestUser = init.user): Promise<SipResponse> {
  const first = registerRequest(init);
  const challenge = await s.registrar.handleRegister(first, source);
  if (challenge === undefined) throw new Error('no response');
  expect(challenge.status).toBe(401);
  const second = answerChallenge(first, challenge, digestUser, secret);
  const response = await s.registrar.handleRegister(second, source);
  if (response === undefined) throw new Error('no response');
  return response;
}

describe('Registrar: digest and chan_sip answers', () => {
  it('challenges with 401 in chan_sip format, then accepts the right password with a 200', async () => {
    const s = setup();
    const first = registerRequest({ user: '1000', contact: '<sip:1000@127.0.3.10:5062>', expires: 300, callId: 'a1' });
    const challenge = await s.registrar.handleRegister(first, udpSource());
    expect(challenge?.status).toBe(401);
    expect(challenge?.reason).toBe('Unauthorized');
    expect(challenge?.headers.get('WWW-Authenticate')).toMatch(/^Digest algorithm=MD5, realm="tandem", nonce="[0-9a-f]{8}"$/);
    const text = wireText(challenge as SipResponse);
    // respprep(): Via, From, To with our tag, Call-ID, CSeq, Server, Allow, Supported, then the challenge.
    expect(text.split('\r\n').map((line) => line.split(':')[0])).toEqual([
      'SIP/2.0 401 Unauthorized',
      'Via',
      'From',
      'To',
      'Call-ID',
      'CSeq',
      'Server',
      'Allow',
      'Supported',
      'WWW-Authenticate',
      'Content-Length',
      '',
      '',
    ]);
    expect(challenge?.headers.get('Via')).toContain(';received=127.0.3.10');
    const tag = /;tag=(as[0-9a-f]{8})/.exec(challenge?.headers.get('To') ?? '')?.[1];
    expect(tag).toBeDefined();
    const ok = await s.registrar.handleRegister(answerChallenge(first, challenge as SipResponse, '1000', 'pass1000'), udpSource());
    expect(ok?.status).toBe(200);
    expect(ok?.headers.get('To')).toContain(`;tag=${tag}`);
    expect(ok?.headers.get('Expires')).toBe('300');
    expect(ok?.headers.get('Contact')).toBe('<sip:1000@127.0.3.10:5062>;expires=300');
    expect(ok?.headers.get('Date')).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    const names = wireText(ok as SipResponse).split('\r\n').map((line) => line.split(':')[0]);
    expect(names.slice(6, 12)).toEqual(['Server', 'Allow', 'Supported', 'Expires', 'Contact', 'Date']);
    const peer = s.directory.get('1000');
    expect(peer?.binding).toMatchObject({ address: '127.0.3.10', port: 5062, contact: 'sip:1000@127.0.3.10:5062', expirySeconds: 300 });
    expect(s.events).toEqual([{ name: 'registered', peer: '1000' }]);
    expect(s.logger.lines).toContain("VERBOSE Registered SIP '1000' at 127.0.3.10:5062");
  });

  it('answers a wrong password with 403 and logs the fail2ban NOTICE with the socket source', async () => {
    const s = setup();
    const response = await register(s, { user: '1000', contact: '<sip:1000@192.0.2.7:5062>', expires: 300 }, 'wrong', udpSource('127.0.3.11', 5999));
    expect(response.status).toBe(403);
    expect(response.reason).toBe('Forbidden');
    expect(s.logger.lines).toContain("NOTICE Registration from '<sip:1000@127.0.3.1>' failed for '127.0.3.11:5999' - Wrong password");
    expect(s.directory.get('1000')?.binding).toBeUndefined();
  });

  it('accepts md5secret (HA1 of name:realm:secret)', async () => {
    const { createHash } = await import('node:crypto');
    const ha1 = createHash('md5').update('2000:tandem:hashed').digest('hex');
    const s = setup({ peer: '' });
    const conf = sipConfFrom(baseConf.replace('{general}', '').replace('{peer}', '').replace('0'.repeat(32), ha1)).conf;
    s.directory.reload(conf);
    const response = await register(s, { user: '2000', contact: '<sip:2000@127.0.3.10:5062>' }, 'hashed');
    expect(response.status).toBe(200);
  });

  it('follows the alwaysauthreject=yes table: unknown, not dynamic, ACL and username mismatch all get 401 then 403', async () => {
    const s = setup();
    const unknown = await register(s, { user: 'nobody', contact: '<sip:nobody@127.0.3.10>' }, 'x');
    expect(unknown.status).toBe(403);
    const notDynamic = await register(s, { user: 'trunk', contact: '<sip:trunk@127.0.3.10>' }, 'trunksecret');
    expect(notDynamic.status).toBe(403);
    const acl = await register(s, { user: 'acl-phone', contact: '<sip:acl-phone@127.0.3.10>' }, 'aclpass');
    expect(acl.status).toBe(403);
    const mismatch = await register(s, { user: '1000', contact: '<sip:1000@127.0.3.10>' }, 'pass1000', udpSource(), 'someone-else');
    expect(mismatch.status).toBe(403);
    expect(s.logger.lines.filter((line) => line.startsWith('NOTICE Registration from'))).toEqual([
      "NOTICE Registration from '<sip:nobody@127.0.3.1>' failed for '127.0.3.10:5062' - Wrong password",
      // chan_sip logs these for the 401 and again for the 403 (the check comes before digest).
      "NOTICE Registration from '<sip:trunk@127.0.3.1>' failed for '127.0.3.10:5062' - Peer is not supposed to register",
      "NOTICE Registration from '<sip:trunk@127.0.3.1>' failed for '127.0.3.10:5062' - Peer is not supposed to register",
      "NOTICE Registration from '<sip:acl-phone@127.0.3.1>' failed for '127.0.3.10:5062' - Device does not match ACL",
      "NOTICE Registration from '<sip:acl-phone@127.0.3.1>' failed for '127.0.3.10:5062' - Device does not match ACL",
      "NOTICE Registration from '<sip:1000@127.0.3.1>' failed for '127.0.3.10:5062' - Username/auth name mismatch",
    ]);
    expect(s.logger.lines).toContain("ERROR Peer 'trunk' is trying to register, but not configured as host=dynamic");
  });

  it('follows the alwaysauthreject=no table: 404 for unknown and ACL, 403 for not dynamic', async () => {
    const s = setup({ general: 'alwaysauthreject=no' });
    const unknown = await send(s, { user: 'nobody', contact: '<sip:nobody@127.0.3.10>' });
    expect([unknown.status, unknown.reason]).toEqual([404, 'Not found']);
    const notDynamic = await send(s, { user: 'trunk', contact: '<sip:trunk@127.0.3.10>' });
    expect([notDynamic.status, notDynamic.reason]).toEqual([403, 'Forbidden']);
    const acl = await send(s, { user: 'acl-phone', contact: '<sip:acl-phone@127.0.3.10>' });
    expect([acl.status, acl.reason]).toEqual([404, 'Not found']);
    const mismatch = await register(s, { user: '1000', contact: '<sip:1000@127.0.3.10>' }, 'pass1000', udpSource(), 'other');
    expect([mismatch.status, mismatch.reason]).toEqual([404, 'Not found']);
  });

  it('answers a stale nonce with stale=true and a retransmission with the same challenge', async () => {
    const s = setup();
    const first = registerRequest({ user: '1000', contact: '<sip:1000@127.0.3.10:5062>', callId: 'stale-1', cseq: 5 });
    const challenge = (await s.registrar.handleRegister(first, udpSource())) as SipResponse;
    const again = (await s.registrar.handleRegister(first, udpSource())) as SipResponse;
    expect(again.status).toBe(401);
    expect(again.headers.get('WWW-Authenticate')).toBe(challenge.headers.get('WWW-Authenticate'));
    const answer = answerChallenge(first, challenge, '1000', 'pass1000');
    expect((await s.registrar.handleRegister(answer, udpSource()))?.status).toBe(200);
    // The same (answered) nonce again, next CSeq: right hash, stale nonce.
    const replay = answerChallenge(answer, challenge, '1000', 'pass1000');
    const stale = (await s.registrar.handleRegister(replay, udpSource())) as SipResponse;
    expect(stale.status).toBe(401);
    expect(stale.headers.get('WWW-Authenticate')).toMatch(/, stale=true$/);
    expect(stale.headers.get('WWW-Authenticate')).not.toBe(challenge.headers.get('WWW-Authenticate'));
  });

  it('refuses a transport the peer does not allow with 403 (and a Date)', async () => {
    const s = setup({ general: 'tcpenable=yes' });
    const response = await register(s, { user: 'tcp-only', contact: '<sip:tcp-only@127.0.3.10>' }, 'tcppass');
    expect(response.status).toBe(403);
    expect(response.headers.has('Date')).toBe(true);
    expect(s.logger.lines.at(-1)).toBe(
      "NOTICE Registration from '<sip:tcp-only@127.0.3.1>' failed for '127.0.3.10:5062' - Device not configured to use this transport type",
    );
  });

  it('answers 404 to a To with an empty domain (<sip:name@>), as register_verify() does', async () => {
    const s = setup({ general: 'alwaysauthreject=yes' });
    const request = registerRequest({ user: '1000', contact: '<sip:1000@127.0.3.10>' });
    request.headers.set('To', '<sip:1000@>');
    expect((await s.registrar.handleRegister(request, udpSource()))?.status).toBe(404);
  });

  it('sends nothing for a To that is not a sip: URI, as chan_sip', async () => {
    const s = setup();
    const request = registerRequest({ user: '1000', contact: '<sip:1000@127.0.3.10>' });
    request.headers.set('To', '<tel:+15551234>');
    expect(await s.registrar.handleRegister(request, udpSource())).toBeUndefined();
  });
});

describe('Registrar: expiry, unregister, query', () => {
  it('clamps the expiry without 423: maxexpiry, minexpiry, defaultexpiry, Contact ;expires=', async () => {
    const s = setup();
    const cases: [RegisterInit['expires'], string | undefined, string][] = [
      [86400, undefined, '3600'],
      [10, undefined, '60'],
      [undefined, undefined, '120'],
      [undefined, ';expires=900', '900'],
      [undefined, ';expires=5', '60'],
      [1800, ';expires=900', '1800'],
    ];
    for (const [expires, contactParam, granted] of cases) {
      const response = await register(
        s,
        { user: '1000', contact: `<sip:1000@127.0.3.10:5062>${contactParam ?? ''}`, ...(expires === undefined ? {} : { expires }) },
        'pass1000',
      );
      expect([response.status, response.headers.get('Expires')]).toEqual([200, granted]);
      expect(response.headers.get('Contact')).toBe(`<sip:1000@127.0.3.10:5062>;expires=${granted}`);
    }
  });

  it('unregisters with Expires: 0 and with Contact: * (200 without Contact)', async () => {
    const s = setup();
    await register(s, { user: '1000', contact: '<sip:1000@127.0.3.10:5062>', expires: 300 }, 'pass1000');
    const off = await register(s, { user: '1000', contact: '<sip:1000@127.0.3.10:5062>', expires: 0 }, 'pass1000');
    expect([off.status, off.headers.get('Expires'), off.headers.has('Contact')]).toEqual([200, '0', false]);
    expect(s.directory.get('1000')?.binding).toBeUndefined();
    await register(s, { user: '1000', contact: '<sip:1000@127.0.3.10:5062>', expires: 300 }, 'pass1000');
    const star = await register(s, { user: '1000', contact: '*', expires: 0 }, 'pass1000');
    expect(star.status).toBe(200);
    expect(s.directory.get('1000')?.binding).toBeUndefined();
    expect(s.events.map((event) => event.name)).toEqual(['registered', 'unregistered', 'registered', 'unregistered']);
    expect(s.logger.lines).toContain("VERBOSE Unregistered SIP '1000'");
  });

  it('answers Contact: * without Expires: 0, or with another Contact, with 400', async () => {
    const s = setup();
    expect((await register(s, { user: '1000', contact: '*', expires: 60 }, 'pass1000')).status).toBe(400);
    expect((await register(s, { user: '1000', contact: '*' }, 'pass1000')).status).toBe(400);
    expect((await register(s, { user: '1000', contact: ['*', '<sip:1000@127.0.3.10>'], expires: 0 }, 'pass1000')).status).toBe(400);
  });

  it('answers a query (no Contact, no Expires) with the current binding and its time left', async () => {
    const s = setup();
    await register(s, { user: '1000', contact: '<sip:1000@127.0.3.10:5062>', expires: 300 }, 'pass1000');
    const query = await register(s, { user: '1000' }, 'pass1000');
    expect(query.status).toBe(200);
    expect(query.headers.get('Contact')).toBe(`<sip:1000@127.0.3.10:5062>;expires=${query.headers.get('Expires') ?? ''}`);
    // chan_sip reports the scheduler's time: expiry + 10 s.
    expect(Number(query.headers.get('Expires'))).toBeGreaterThanOrEqual(309);
  });

  it('keeps one binding per peer: the first Contact, replaced by the next REGISTER', async () => {
    const s = setup();
    await register(s, { user: '1000', contact: ['<sip:1000@127.0.3.10:5062>', '<sip:1000@127.0.3.12:5070>'] }, 'pass1000');
    expect(s.directory.get('1000')?.binding?.contact).toBe('sip:1000@127.0.3.10:5062');
    await register(s, { user: '1000', contact: '<sip:1000@127.0.3.13:5080>' }, 'pass1000', udpSource('127.0.3.13', 5080));
    expect(s.directory.get('1000')?.binding).toMatchObject({ address: '127.0.3.13', port: 5080 });
    expect(s.directory.findByAddress('127.0.3.10', 5062, 'udp')).toBeUndefined();
    expect(s.directory.findByAddress('127.0.3.13', 5080, 'udp')?.name).toBe('1000');
  });

  it('removes the binding 10 s after its expiry and emits expired', async () => {
    vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') });
    const s = setup();
    await register(s, { user: '1000', contact: '<sip:1000@127.0.3.10:5062>', expires: 60 }, 'pass1000');
    vi.advanceTimersByTime(60_000 + 9_000);
    expect(s.directory.get('1000')?.binding).toBeDefined();
    await vi.advanceTimersByTimeAsync(1_500);
    expect(s.directory.get('1000')?.binding).toBeUndefined();
    expect(s.events.map((event) => event.name)).toEqual(['registered', 'expired']);
  });

  it('sip unregister forces the expiry', async () => {
    const s = setup();
    await register(s, { user: '1000', contact: '<sip:1000@127.0.3.10:5062>' }, 'pass1000');
    expect(await s.registrar.unregister('1000')).toBe('unregistered');
    expect(await s.registrar.unregister('1000')).toBe('not-registered');
    expect(await s.registrar.unregister('nobody')).toBe('unknown');
    expect(s.directory.get('1000')?.deviceState).toBe('UNAVAILABLE');
  });
});

describe('Registrar: addresses, NAT, Path, contact ACL', () => {
  it('stores the Contact address when no NAT is detected, the packet source with rport or NAT', async () => {
    const s = setup();
    await register(s, { user: '1000', contact: '<sip:1000@127.0.3.20:5070>', viaHost: '127.0.3.10' }, 'pass1000');
    expect(s.directory.get('1000')?.binding).toMatchObject({ address: '127.0.3.20', port: 5070 });
    // ;rport in the Via: the source address and port.
    await register(s, { user: '1000', contact: '<sip:1000@127.0.3.20:5070>', rport: true }, 'pass1000');
    expect(s.directory.get('1000')?.binding).toMatchObject({ address: '127.0.3.10', port: 5062 });
    // NAT detected (Via sent-by is not the source) with the default nat=auto_force_rport.
    const natted = await register(s, { user: '1000', contact: '<sip:1000@192.168.1.5:5060>', viaHost: '192.168.1.5' }, 'pass1000');
    expect(s.directory.get('1000')?.binding).toMatchObject({ address: '127.0.3.10', port: 5062 });
    expect(natted.headers.get('Via')).toContain(';received=127.0.3.10;rport=5062');
    // nat=no behind NAT: the Contact is trusted.
    await register(s, { user: 'no-nat', contact: '<sip:no-nat@192.168.1.5:5060>', viaHost: '192.168.1.5' }, 'nonatpass');
    expect(s.directory.get('no-nat')?.binding).toMatchObject({ address: '192.168.1.5', port: 5060 });
    // nat=force_rport: always the source.
    await register(s, { user: 'nat-phone', contact: '<sip:nat-phone@127.0.3.20:5070>' }, 'natpass');
    expect(s.directory.get('nat-phone')?.binding).toMatchObject({ address: '127.0.3.10', port: 5062 });
  });

  it('learns defaultuser from the Contact user when none is configured', async () => {
    const s = setup();
    await register(s, { user: '1000', contact: '<sip:phone-user@127.0.3.10:5062;ob>' }, 'pass1000');
    expect(s.directory.get('1000')?.defaultUser).toBe('phone-user');
    expect(s.directory.get('1000')?.binding?.contact).toBe('sip:phone-user@127.0.3.10:5062;ob');
  });

  it('refuses a Contact the contact ACL denies with 603 Denied', async () => {
    const s = setup();
    const response = await register(s, { user: 'guarded', contact: '<sip:guarded@127.0.3.10:5062>' }, 'guardpass');
    expect([response.status, response.reason]).toEqual([603, 'Denied']);
    expect(s.logger.lines).toContain('WARNING Registration denied because of contact ACL');
  });

  it('keeps Path for supportpath=yes peers and echoes it with Supported: path', async () => {
    const s = setup();
    const response = await register(
      s,
      { user: 'pathy', contact: '<sip:pathy@127.0.3.10:5062>', extraHeaders: [['Path', '<sip:edge.example;lr>']] },
      'pathpass',
    );
    expect(response.headers.get('Path')).toBe('<sip:edge.example;lr>');
    expect(response.headers.get('Supported')).toBe('replaces, timer, path');
    expect(s.directory.get('pathy')?.binding?.path).toEqual(['<sip:edge.example;lr>']);
  });

  it('answers 400 to a Contact whose host cannot be resolved', async () => {
    const s = setup();
    const response = await register(s, { user: '1000', contact: '<sip:1000@no-such-host.invalid:5062>' }, 'pass1000');
    expect(response.status).toBe(400);
  });
});

describe('Registrar: persistence', () => {
  it('persists bindings before the 200 and restores them after a restart until they lapse', async () => {
    using dir = useTempDir();
    const store = EmbeddedStore.open({ dataDir: dir.path });
    const s = setup({ store });
    await register(s, { user: '1000', contact: '<sip:learnt@127.0.3.10:5062>', expires: 600, userAgent: 'Phone/1.0' }, 'pass1000');
    expect(store.bindings.load('1000')).toMatchObject({ address: '127.0.3.10', port: 5062, defaultUser: 'learnt', userAgent: 'Phone/1.0' });
    s.registrar.close();
    store.close();

    const reopened = EmbeddedStore.open({ dataDir: dir.path });
    const restarted = setup({ store: reopened });
    expect(restarted.registrar.restore()).toBe(1);
    const peer = restarted.directory.get('1000');
    expect(peer?.binding).toMatchObject({ address: '127.0.3.10', port: 5062, contact: 'sip:learnt@127.0.3.10:5062', userAgent: 'Phone/1.0' });
    expect(peer?.defaultUser).toBe('learnt');
    expect(restarted.directory.findByAddress('127.0.3.10', 5062, 'udp')?.name).toBe('1000');
    // Unregister removes it from the store too.
    await register(restarted, { user: '1000', contact: '*', expires: 0 }, 'pass1000');
    expect(reopened.bindings.load('1000')).toBeUndefined();
    reopened.close();
  });

  it('drops stored bindings that lapsed or whose peer is gone', async () => {
    using dir = useTempDir();
    const store = EmbeddedStore.open({ dataDir: dir.path });
    const base = { address: '127.0.3.10', port: 5062, transport: 'udp' as const, expirySeconds: 60, defaultUser: '', fullContact: 'sip:x@127.0.3.10', userAgent: '', path: [] };
    store.bindings.save({ ...base, peer: '1000', expiresAt: Date.now() - 60_000 });
    store.bindings.save({ ...base, peer: 'removed-peer', expiresAt: Date.now() + 60_000 });
    store.bindings.save({ ...base, peer: '2000', expiresAt: Date.now() + 60_000 });
    const s = setup({ store });
    expect(s.registrar.restore()).toBe(1);
    expect(store.bindings.all().map((binding) => binding.peer)).toEqual(['2000']);
    store.close();
  });

  it('answers 503 (and changes nothing) when the store cannot write', async () => {
    using dir = useTempDir();
    const store = EmbeddedStore.open({ dataDir: dir.path });
    const s = setup({ store });
    store.close();
    const response = await register(s, { user: '1000', contact: '<sip:1000@127.0.3.10:5062>' }, 'pass1000');
    expect(response.status).toBe(503);
    expect(s.directory.get('1000')?.binding).toBeUndefined();
  });

  it('forgets the binding of a peer removed by reload', async () => {
    using dir = useTempDir();
    const store = EmbeddedStore.open({ dataDir: dir.path });
    const s = setup({ store });
    await register(s, { user: '1000', contact: '<sip:1000@127.0.3.10:5062>' }, 'pass1000');
    await register(s, { user: '2000', contact: '<sip:2000@127.0.3.11:5062>' }, 'x').catch(() => undefined);
    const withoutPeer = sipConfFrom(baseConf.replace('{general}', '').replace('{peer}', '').replace(/\[1000\][\s\S]*?context=office\n/, '')).conf;
    const summary = s.directory.reload(withoutPeer);
    expect(summary.removed).toEqual(['1000']);
    expect(store.bindings.load('1000')).toBeUndefined();
    expect(s.directory.findByAddress('127.0.3.10', 5062, 'udp')).toBeUndefined();
    store.close();
  });
});

describe('Registrar: autocreatepeer', () => {
  it('creates an unknown peer without authentication and drops it with its registration', async () => {
    const { createRealtimeDeviceBuilder } = await import('../src/peers/realtime-device-builder.js');
    const { conf, doc } = sipConfFrom('[general]\nautocreatepeer=yes\ncontext=guests\n');
    const directory = new PeerDirectory({ sipConf: conf, realtimeDevices: createRealtimeDeviceBuilder(doc) });
    const registrar = new Registrar({ directory });
    cleanups.push(() => {
      registrar.close();
      directory.close();
    });
    const ok = await registrar.handleRegister(registerRequest({ user: 'walkin', contact: '<sip:walkin@127.0.3.10:5062>', expires: 120 }), udpSource());
    expect(ok?.status).toBe(200);
    const peer = directory.get('walkin');
    expect(peer?.origin).toBe('autocreated');
    expect(peer?.settings.context).toBe('guests');
    expect(peer?.binding?.address).toBe('127.0.3.10');
    const off = await registrar.handleRegister(registerRequest({ user: 'walkin', contact: '*', expires: 0 }), udpSource());
    expect(off?.status).toBe(200);
    expect(directory.get('walkin')).toBeUndefined();
  });
});

describe('Registrar: bad input', () => {
  it('answers (or ignores) malformed REGISTERs without throwing', async () => {
    const s = setup();
    const variants: ((request: ReturnType<typeof registerRequest>) => void)[] = [
      (request) => request.headers.remove('To'),
      (request) => request.headers.set('To', '<sip:@127.0.3.1>'),
      (request) => request.headers.set('To', '<sip:1000@>'),
      (request) => request.headers.set('Expires', 'soon'),
      (request) => request.headers.set('Contact', '<mailto:someone@example.com>'),
      (request) => request.headers.set('Contact', '"unterminated <sip:1000@127.0.3.10'),
      (request) => request.headers.set('Authorization', 'garbage'),
      (request) => request.headers.set('Authorization', 'Digest username="1000", nonce="x", response="y"'),
      (request) => request.headers.set('Via', 'nonsense'),
      (request) => request.headers.remove('CSeq'),
      (request) => request.headers.set('Contact', '<sip:1000@[::1]:5062>'),
    ];
    for (const mutate of variants) {
      const request = registerRequest({ user: '1000', contact: '<sip:1000@127.0.3.10:5062>', expires: 60 });
      mutate(request);
      const response = await s.registrar.handleRegister(request, udpSource());
      if (response !== undefined) expect(response.status).toBeGreaterThanOrEqual(200);
    }
    // Authenticated, with odd Contacts: 400 or a binding, never an exception.
    const contacts = ['<mailto:x@example.com>', 'garbage', '<>', '<sip:>', '"quoted <sip:1000@127.0.3.10:5062>', '<sip:1000@[::1]:5062>'];
    const statuses: number[] = [];
    for (const contact of contacts) statuses.push((await register(s, { user: '1000', contact, expires: 60 }, 'pass1000')).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 200]);
    expect(s.directory.get('1000')?.binding).toMatchObject({ address: '::1', port: 5062 });
  });
});
