import { afterEach, describe, expect, it } from 'vitest';
import { buildRequest, createDigestAuthorization, generateCallId, generateTag, selectDigestChallenge, SipEndpoint, type SipResponse } from '@tandem/sip';
import { PeerDirectory } from '../src/peers/peer-directory.js';
import { OutboundRegistrations } from '../src/outbound/outbound-registrations.js';
import { Qualifier } from '../src/qualify/qualifier.js';
import { Registrar } from '../src/registrar/registrar.js';
import { EmbeddedStore } from '../src/store/embedded-store.js';
import { sipConfFrom } from './support/sip-conf.js';
import { useTempDir } from './support/temp-dir.js';

// Real UDP sockets on the registrar's test addresses (127.0.3.x, ephemeral ports).
const PBX_ADDRESS = '127.0.3.1';
const PHONE_ADDRESS = '127.0.3.2';

const conf = (general = '') => `
[general]
realm=tandem
minexpiry=60
maxexpiry=3600
defaultexpiry=120
qualifyfreq=60
${general}

[1000]
type=friend
host=dynamic
secret=pass1000
qualify=yes

[trunk]
type=peer
host=127.0.3.99
secret=x
`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function endpoint(address: string): Promise<{ endpoint: SipEndpoint; port: number }> {
  const created = new SipEndpoint();
  const info = await created.listen({ transport: 'udp', address, port: 0 });
  cleanups.push(() => created.close());
  return { endpoint: created, port: info.port };
}

interface Pbx {
  port: number;
  registrar: Registrar;
  directory: PeerDirectory;
  endpoint: SipEndpoint;
}

async function startPbx(options: { general?: string; store?: EmbeddedStore } = {}): Promise<Pbx> {
  const { endpoint: pbxEndpoint, port } = await endpoint(PBX_ADDRESS);
  const directory = new PeerDirectory({ sipConf: sipConfFrom(conf(options.general)).conf });
  const registrar = new Registrar({ directory, ...(options.store === undefined ? {} : { store: options.store }) });
  cleanups.push(() => {
    registrar.close();
    directory.close();
  });
  pbxEndpoint.onRequest((request, transaction) => {
    const source = request.source;
    if (request.method !== 'REGISTER' || source === undefined) {
      transaction.reply(405);
      return;
    }
    void registrar.handleRegister(request, source).then((response) => {
      if (response !== undefined) transaction.respond(response);
    });
  });
  return { port, registrar, directory, endpoint: pbxEndpoint };
}

/** A phone on 127.0.3.2 that registers with digest auth over real UDP. */
async function phone(pbxPort: number) {
  const { endpoint: phoneEndpoint, port } = await endpoint(PHONE_ADDRESS);
  const callId = generateCallId(PHONE_ADDRESS);
  const tag = generateTag();
  let cseq = 1;
  const send = async (user: string, expires: number | undefined, contact: string | undefined, authorization?: string): Promise<SipResponse> => {
    const headers: [string, string][] = [];
    if (expires !== undefined) headers.push(['Expires', String(expires)]);
    if (authorization !== undefined) headers.push(['Authorization', authorization]);
    const request = buildRequest({
      method: 'REGISTER',
      uri: `sip:${PBX_ADDRESS}:${pbxPort}`,
      from: `<sip:${user}@${PBX_ADDRESS}>;tag=${tag}`,
      to: `<sip:${user}@${PBX_ADDRESS}>`,
      ...(contact === undefined ? {} : { contact }),
      callId,
      cseq: cseq++,
      headers,
    });
    return phoneEndpoint.sendRequest(request, { transport: 'udp', address: PBX_ADDRESS, port: pbxPort }).final;
  };
  return {
    port,
    endpoint: phoneEndpoint,
    contact: `<sip:1000@${PHONE_ADDRESS}:${port}>`,
    send,
    /** REGISTER, answer the 401 with `secret`, return [challenge, final]. */
    async register(user: string, secret: string, expires: number | undefined, contact?: string): Promise<[SipResponse, SipResponse]> {
      const challenge = await send(user, expires, contact ?? `<sip:${user}@${PHONE_ADDRESS}:${port}>`);
      const selected = selectDigestChallenge(challenge);
      if (selected === undefined) return [challenge, challenge];
      const authorization = createDigestAuthorization({
        challenge: selected.challenge,
        method: 'REGISTER',
        requestUri: `sip:${PBX_ADDRESS}:${pbxPort}`,
        username: user,
        secret,
      });
      return [challenge, await send(user, expires, contact ?? `<sip:${user}@${PHONE_ADDRESS}:${port}>`, authorization)];
    },
  };
}

describe('REGISTER over loopback UDP with SipEndpoint', () => {
  it('401 then 200, binding at the phone address, clamped expiry, unregister', async () => {
    const pbx = await startPbx();
    const ua = await phone(pbx.port);
    const [challenge, ok] = await ua.register('1000', 'pass1000', 30);
    expect(challenge.status).toBe(401);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('Expires')).toBe('60');
    expect(ok.headers.get('Contact')).toBe(`<sip:1000@${PHONE_ADDRESS}:${ua.port}>;expires=60`);
    expect(pbx.directory.get('1000')?.binding).toMatchObject({ address: PHONE_ADDRESS, port: ua.port, transport: 'udp' });
    const [, off] = await ua.register('1000', 'pass1000', 0);
    expect(off.status).toBe(200);
    expect(pbx.directory.get('1000')?.binding).toBeUndefined();
  });

  it('403 for a wrong password; alwaysauthreject=yes answers an unknown or static peer the same way', async () => {
    const pbx = await startPbx();
    const ua = await phone(pbx.port);
    const statuses = async (user: string, secret: string) => (await ua.register(user, secret, 60)).map((response) => response.status);
    expect(await statuses('1000', 'nope')).toEqual([401, 403]);
    expect(await statuses('ghost', 'nope')).toEqual([401, 403]);
    expect(await statuses('trunk', 'x')).toEqual([401, 403]);
  });

  it('alwaysauthreject=no: 404 for an unknown peer, 403 for a static one', async () => {
    const pbx = await startPbx({ general: 'alwaysauthreject=no' });
    const ua = await phone(pbx.port);
    expect((await ua.send('ghost', 60, '<sip:ghost@127.0.3.2>')).status).toBe(404);
    expect((await ua.send('trunk', 60, '<sip:trunk@127.0.3.2>')).status).toBe(403);
  });

  it('restores the binding after a restart from the embedded store', async () => {
    using dir = useTempDir();
    const store = EmbeddedStore.open({ dataDir: dir.path });
    const first = await startPbx({ store });
    const ua = await phone(first.port);
    expect((await ua.register('1000', 'pass1000', 600))[1].status).toBe(200);
    first.registrar.close();
    store.close();
    const reopened = EmbeddedStore.open({ dataDir: dir.path });
    cleanups.push(() => reopened.close());
    const second = await startPbx({ store: reopened });
    expect(second.registrar.restore()).toBe(1);
    expect(second.directory.get('1000')?.binding).toMatchObject({ address: PHONE_ADDRESS, port: ua.port });
  });

  it('qualifies a registered phone that answers OPTIONS', async () => {
    const pbx = await startPbx();
    const ua = await phone(pbx.port);
    ua.endpoint.onRequest((_request, transaction) => transaction.reply(200));
    const qualifier = new Qualifier({ directory: pbx.directory, sender: pbx.endpoint, registrar: pbx.registrar });
    qualifier.start();
    cleanups.push(() => qualifier.stop());
    const statuses: string[] = [];
    qualifier.on('status', (event) => statuses.push(event.status));
    await ua.register('1000', 'pass1000', 120);
    for (let i = 0; i < 50 && statuses.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(statuses[0]).toMatch(/^OK \(\d+ ms\)$/);
    expect(pbx.directory.get('1000')?.deviceState).toBe('NOT_INUSE');
  });

  it('registers a register => line to another registrar (Tandem to Tandem)', async () => {
    const provider = await startPbx();
    const { endpoint: clientEndpoint } = await endpoint('127.0.3.3');
    const client = new OutboundRegistrations({
      sipConf: sipConfFrom(`[general]\nregister => 1000:pass1000@${PBX_ADDRESS}:${provider.port}/7000\n`).conf,
      sender: clientEndpoint,
    });
    cleanups.push(() => client.stop());
    const states: string[] = [];
    client.on('state', (event) => states.push(event.state));
    client.start();
    for (let i = 0; i < 100 && client.rows()[0]?.state !== 'Registered'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.rows()[0]).toMatchObject({ state: 'Registered', refresh: 105, host: `${PBX_ADDRESS}:${provider.port}` });
    expect(states).toEqual(['Request Sent', 'Auth. Sent', 'Registered']);
    const binding = provider.directory.get('1000')?.binding;
    expect(binding?.contact).toMatch(/^sip:7000@127\.0\.3\.3:\d+$/);
  });
});
