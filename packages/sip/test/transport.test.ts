import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { SipError, SipTransportLayer, type MessageSource, type SipConnection } from '../src/index.js';
import { makeTestCertificates, type TestCertificates } from './helpers/certificates.js';
import { nextEvent, until } from './helpers/wait.js';

const options = (tag: string, transport = 'UDP') =>
  Buffer.from(`OPTIONS sip:${tag}@h SIP/2.0\r\nVia: SIP/2.0/${transport} h;branch=z9hG4bK${tag}\r\nCall-ID: ${tag}\r\nCSeq: 1 OPTIONS\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nContent-Length: 0\r\n\r\n`);

const layers: SipTransportLayer[] = [];
function layer(...args: ConstructorParameters<typeof SipTransportLayer>): SipTransportLayer {
  const created = new SipTransportLayer(...args);
  layers.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(layers.splice(0).map((entry) => entry.close()));
});

function received(target: SipTransportLayer): Promise<[Buffer, MessageSource]> {
  return nextEvent<[Buffer, MessageSource]>(target, 'message');
}

describe('UDP', () => {
  it.each([['127.0.0.1'], ['::1']])('sends and receives over %s with the source attached', async (address) => {
    const a = layer();
    const b = layer();
    const listenerA = await a.listen({ transport: 'udp', address, port: 0 });
    const listenerB = await b.listen({ transport: 'udp', address, port: 0 });
    const arrival = received(b);
    const sent = await a.send(options('u1'), { transport: 'udp', address, port: listenerB.port });
    const [bytes, source] = await arrival;
    expect(bytes.toString()).toContain('Call-ID: u1');
    expect(source).toEqual({ transport: 'udp', remoteAddress: address, remotePort: listenerA.port, localAddress: address, localPort: listenerB.port, connectionId: listenerB.id });
    expect(sent.localPort).toBe(listenerA.port);
  });

  it('reports bind errors as typed errors, never uncaught', async () => {
    const a = layer();
    const first = await a.listen({ transport: 'udp', address: '127.0.0.1', port: 0 });
    await expect(layer().listen({ transport: 'udp', address: '127.0.0.1', port: first.port })).rejects.toMatchObject({ code: 'bind-failed' });
    await expect(layer().listen({ transport: 'udp', address: 'not-an-ip', port: 0 })).rejects.toBeInstanceOf(SipError);
    await expect(layer().listen({ transport: 'udp', address: '192.0.2.123', port: 0 })).rejects.toMatchObject({ code: 'bind-failed' });
    await expect(layer().listen({ transport: 'tcp', address: '127.0.0.1', port: first.port }).then(() => 'ok')).resolves.toBe('ok');
  });

  it('closes one listener and frees its port while the others stay (a reload moving bindaddr)', async () => {
    const server = layer();
    const kept = await server.listen({ transport: 'udp', address: '127.0.0.1', port: 0 });
    const moved = await server.listen({ transport: 'tcp', address: '127.0.0.1', port: 0 });
    expect(await server.closeListener(moved.id)).toBe(true);
    expect(await server.closeListener(moved.id)).toBe(false);
    expect(server.boundListeners()).toEqual([kept]);
    await expect(layer().listen({ transport: 'tcp', address: '127.0.0.1', port: moved.port }).then(() => 'rebound')).resolves.toBe('rebound');
  });

  it('answers from the socket the request arrived on when several addresses are bound', async () => {
    const server = layer();
    const one = await server.listen({ transport: 'udp', address: '127.0.1.1', port: 0 });
    const two = await server.listen({ transport: 'udp', address: '127.0.1.2', port: 0 });
    const client = layer();
    await client.listen({ transport: 'udp', address: '127.0.0.1', port: 0 });
    const arrival = received(server);
    await client.send(options('u2'), { transport: 'udp', address: '127.0.1.2', port: two.port });
    const [, source] = await arrival;
    expect(source.connectionId).toBe(two.id);
    const reply = received(client);
    await server.send(options('u2r'), { transport: 'udp', address: source.remoteAddress, port: source.remotePort, connectionId: source.connectionId ?? '' });
    const [, replySource] = await reply;
    expect([replySource.remoteAddress, replySource.remotePort]).toEqual(['127.0.1.2', two.port]);
    expect(one.port).toBeGreaterThan(0);
  });

  it('picks the route source address for Via when bound to a wildcard', async () => {
    const server = layer();
    const wildcard = await server.listen({ transport: 'udp', address: '0.0.0.0', port: 0 });
    expect(await server.localEndpointFor({ transport: 'udp', address: '127.0.0.1' })).toEqual({ transport: 'udp', address: '127.0.0.1', port: wildcard.port });
    await expect(server.localEndpointFor({ transport: 'tcp', address: '127.0.0.1' })).rejects.toMatchObject({ code: 'no-route' });
  });

  it('reaches IPv4 destinations from a dual-stack :: socket', async () => {
    const dual = layer();
    await dual.listen({ transport: 'udp', address: '::', port: 0 });
    const v4 = layer();
    const target = await v4.listen({ transport: 'udp', address: '127.0.0.1', port: 0 });
    const arrival = received(v4);
    await dual.send(options('u3'), { transport: 'udp', address: '127.0.0.1', port: target.port });
    expect((await arrival)[1].remoteAddress).toBe('127.0.0.1');
  });
});

describe('TCP', () => {
  it('connects, reuses the connection by id and by remote address, and replies over it', async () => {
    const server = layer();
    const listener = await server.listen({ transport: 'tcp', address: '127.0.0.1', port: 0 });
    const client = layer();
    await client.listen({ transport: 'tcp', address: '127.0.0.1', port: 0 });
    const arrival = received(server);
    const sent = await client.send(options('t1', 'TCP'), { transport: 'tcp', address: '127.0.0.1', port: listener.port });
    const [, source] = await arrival;
    expect(source.transport).toBe('tcp');
    expect(source.connectionId).toMatch(/^tcp-/);
    const second = received(server);
    const again = await client.send(options('t2', 'TCP'), { transport: 'tcp', address: '127.0.0.1', port: listener.port });
    expect(again.connectionId).toBe(sent.connectionId);
    expect((await second)[1].connectionId).toBe(source.connectionId);
    const reply = received(client);
    await server.send(options('t3', 'TCP'), { transport: 'tcp', address: source.remoteAddress, port: source.remotePort, connectionId: source.connectionId ?? '' });
    expect((await reply)[1].connectionId).toBe(sent.connectionId);
    expect(server.connections()).toHaveLength(1);
    expect(client.connections()).toHaveLength(1);
  });

  it('frames messages split across TCP writes and answers CRLFCRLF pings with CRLF', async () => {
    const server = layer();
    const listener = await server.listen({ transport: 'tcp', address: '127.0.0.1', port: 0 });
    const socket = netConnect(listener.port, '127.0.0.1');
    await nextEvent(socket, 'connect');
    const pong = nextEvent<[Buffer]>(socket, 'data');
    socket.write('\r\n\r\n');
    expect((await pong)[0].toString()).toBe('\r\n');
    const bodies: string[] = [];
    server.on('message', (bytes) => bodies.push(bytes.toString()));
    const wire = Buffer.concat([options('s1', 'TCP'), options('s2', 'TCP')]);
    for (let i = 0; i < wire.length; i += 7) {
      socket.write(wire.subarray(i, i + 7));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => bodies.length === 2);
    expect(bodies.map((text) => /Call-ID: (\w+)/.exec(text)?.[1])).toEqual(['s1', 's2']);
    socket.destroy();
  });

  it('closes a connection that sends a 64 KB message', async () => {
    const server = layer();
    const listener = await server.listen({ transport: 'tcp', address: '127.0.0.1', port: 0 });
    const errors: SipError[] = [];
    server.on('transportError', (error) => errors.push(error));
    const socket = netConnect(listener.port, '127.0.0.1');
    socket.on('error', () => undefined);
    await nextEvent(socket, 'connect');
    const closed = nextEvent(socket, 'close');
    socket.write(`INVITE sip:a@b SIP/2.0\r\nX-Big: ${'x'.repeat(66_000)}\r\n\r\n`);
    await closed;
    expect(errors.map((error) => error.code)).toContain('message-too-large');
  });

  it('closes unauthenticated inbound connections after tcpauthtimeout unless marked', async () => {
    const server = layer({ authTimeoutMs: 150 });
    const listener = await server.listen({ transport: 'tcp', address: '127.0.0.1', port: 0 });
    const opened: SipConnection[] = [];
    server.on('connectionOpened', (connection) => opened.push(connection));
    const idle = netConnect(listener.port, '127.0.0.1');
    await nextEvent(idle, 'connect');
    await nextEvent(idle, 'close', 3000);
    const trusted = netConnect(listener.port, '127.0.0.1');
    await nextEvent(trusted, 'connect');
    await until(() => opened.length === 2);
    opened[1]?.markAuthenticated();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(opened[1]?.open).toBe(true);
    trusted.destroy();
  });

  it('closes new inbound connections beyond tcpauthlimit unauthenticated ones, counting again once one authenticates', async () => {
    const server = layer({ maxUnauthenticated: 1 });
    const listener = await server.listen({ transport: 'tcp', address: '127.0.0.1', port: 0 });
    const opened: SipConnection[] = [];
    server.on('connectionOpened', (connection) => opened.push(connection));
    const first = netConnect(listener.port, '127.0.0.1');
    await nextEvent(first, 'connect');
    await until(() => opened.length === 1);
    expect(server.unauthenticatedCount).toBe(1);
    // The limit is reached: the next session is closed without being adopted.
    const refused = netConnect(listener.port, '127.0.0.1');
    await nextEvent(refused, 'close', 3000);
    expect(opened).toHaveLength(1);
    opened[0]?.markAuthenticated();
    expect(server.unauthenticatedCount).toBe(0);
    const second = netConnect(listener.port, '127.0.0.1');
    await nextEvent(second, 'connect');
    await until(() => opened.length === 2);
    expect(opened[1]?.open).toBe(true);
    // A session that closes unauthenticated frees its place; new limits apply to new sessions.
    second.destroy();
    await until(() => server.unauthenticatedCount === 0);
    server.reconfigure({ maxUnauthenticated: 2 });
    const third = netConnect(listener.port, '127.0.0.1');
    const fourth = netConnect(listener.port, '127.0.0.1');
    await Promise.all([nextEvent(third, 'connect'), nextEvent(fourth, 'connect')]);
    await until(() => opened.length === 4);
    expect(server.unauthenticatedCount).toBe(2);
    for (const socket of [first, third, fourth]) socket.destroy();
  });

  it('works over IPv6 loopback', async () => {
    const server = layer();
    const listener = await server.listen({ transport: 'tcp', address: '::1', port: 0 });
    const client = layer();
    await client.listen({ transport: 'tcp', address: '::1', port: 0 });
    const arrival = received(server);
    await client.send(options('v6', 'TCP'), { transport: 'tcp', address: '::1', port: listener.port });
    const [, source] = await arrival;
    expect(source).toMatchObject({ transport: 'tcp', remoteAddress: '::1', localAddress: '::1', localPort: listener.port });
    expect(await client.localEndpointFor({ transport: 'tcp', address: '::1' })).toMatchObject({ address: '::1' });
  });

  it('reports a refused connect as a typed error', async () => {
    const probe = layer();
    const listener = await probe.listen({ transport: 'tcp', address: '127.0.0.1', port: 0 });
    await probe.close();
    await expect(layer().send(options('x'), { transport: 'tcp', address: '127.0.0.1', port: listener.port })).rejects.toMatchObject({ code: 'transport-error' });
  });
});

describe('TLS and WSS', () => {
  let certs: TestCertificates;
  beforeAll(() => {
    certs = makeTestCertificates();
  });
  afterAll(() => certs.dispose());

  it('carries messages over TLS with server verification', async () => {
    const server = layer();
    const listener = await server.listen({ transport: 'tls', address: '127.0.0.1', port: 0, tls: { cert: certs.serverCert, key: certs.serverKey } });
    const client = layer({ tlsClient: { ca: certs.caCert, verifyServer: true } });
    const arrival = received(server);
    await client.send(options('tls1', 'TLS'), { transport: 'tls', address: '127.0.0.1', port: listener.port });
    const [bytes, source] = await arrival;
    expect(bytes.toString()).toContain('Call-ID: tls1');
    expect(source.transport).toBe('tls');
  });

  it('refuses a client without a certificate when tlsverifyclient is on', async () => {
    const server = layer();
    const listener = await server.listen({
      transport: 'tls', address: '127.0.0.1', port: 0,
      tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.caCert, verifyClient: true },
    });
    const withoutCert = layer({ tlsClient: { ca: certs.caCert, verifyServer: true } });
    const messages: Buffer[] = [];
    server.on('message', (bytes) => messages.push(bytes));
    await withoutCert.send(options('nocert', 'TLS'), { transport: 'tls', address: '127.0.0.1', port: listener.port }).catch(() => undefined);
    const withCert = layer({ tlsClient: { ca: certs.caCert, verifyServer: true, cert: certs.clientCert, key: certs.clientKey } });
    await withCert.send(options('cert', 'TLS'), { transport: 'tls', address: '127.0.0.1', port: listener.port });
    await until(() => messages.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(messages.map((bytes) => /Call-ID: (\w+)/.exec(bytes.toString())?.[1])).toEqual(['cert']);
  });

  it('reloads certificates with setSecureContext for new connections', async () => {
    const server = layer();
    const listener = await server.listen({ transport: 'tls', address: '127.0.0.1', port: 0, tls: { cert: certs.serverCert, key: certs.serverKey } });
    const fingerprint = async () => {
      const socket = tlsConnect({ host: '127.0.0.1', port: listener.port, ca: certs.caCert });
      await nextEvent(socket, 'secureConnect');
      const value = socket.getPeerCertificate().fingerprint256;
      socket.destroy();
      return value;
    };
    const before = await fingerprint();
    server.setSecureContext(listener.id, { cert: certs.otherServerCert, key: certs.otherServerKey });
    const after = await fingerprint();
    expect(after).not.toBe(before);
    expect(() => server.setSecureContext('nope', { cert: certs.serverCert, key: certs.serverKey })).toThrow(SipError);
  });

  it('carries RFC 7118 SIP over WSS and refuses a handshake without the sip subprotocol', async () => {
    const server = layer();
    const listener = await server.listen({ transport: 'wss', address: '127.0.0.1', port: 0, tls: { cert: certs.serverCert, key: certs.serverKey } });
    const ws = new WebSocket(`wss://127.0.0.1:${listener.port}/`, 'sip', { ca: certs.caCert });
    await nextEvent(ws, 'open');
    expect(ws.protocol).toBe('sip');
    const arrival = received(server);
    ws.send(options('wss1', 'WSS').toString());
    const [, source] = await arrival;
    expect(source.transport).toBe('wss');
    const reply = nextEvent<[Buffer, boolean]>(ws, 'message');
    await server.send(options('wss2', 'WSS'), { transport: 'wss', address: source.remoteAddress, port: source.remotePort, connectionId: source.connectionId ?? '' });
    const [data, isBinary] = await reply;
    expect(isBinary).toBe(false);
    expect(data.toString()).toContain('Call-ID: wss2');
    ws.close();
    const refused = new WebSocket(`wss://127.0.0.1:${listener.port}/`, 'chat', { ca: certs.caCert });
    const failure = await nextEvent<[Error]>(refused, 'error');
    expect(failure[0].message).toContain('400');
  });
});

describe('WS', () => {
  it('delivers messages from a browser-like client and refuses sends without a connection', async () => {
    const server = layer();
    const listener = await server.listen({ transport: 'ws', address: '127.0.0.1', port: 0 });
    const ws = new WebSocket(`ws://127.0.0.1:${listener.port}/`, ['sip']);
    await nextEvent(ws, 'open');
    const arrival = received(server);
    ws.send(options('ws1', 'WS'));
    const [bytes, source] = await arrival;
    expect(bytes.toString()).toContain('Call-ID: ws1');
    expect(source).toMatchObject({ transport: 'ws', remoteAddress: '127.0.0.1', localPort: listener.port });
    await expect(server.send(options('x'), { transport: 'ws', address: '127.0.0.1', port: 1 })).rejects.toMatchObject({ code: 'no-route' });
    ws.close();
  });
});
