import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigDir, type TandemConfig } from '@tandem/config';
import { silentLogger } from '@tandem/registrar';
import { SipError } from '@tandem/sip';
import { endpointOptionsOf, listenersOf } from '../src/sip-transports.js';

let dir: string;

function configWith(files: Record<string, string>): TandemConfig {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return loadConfigDir(dir).config;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-transports-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=tandem.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], {
    stdio: 'ignore',
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SIP listeners from the configuration', () => {
  it('listens on UDP only by default, with tcpauthtimeout and tcpauthlimit for stream sessions', async () => {
    const config = configWith({ 'sip.conf': '[general]\nbindaddr=127.0.0.1\nbindport=5999\n' });
    expect(await listenersOf(config, silentLogger)).toEqual([{ transport: 'udp', address: '127.0.0.1', port: 5999 }]);
    expect(await endpointOptionsOf(config)).toEqual({ authTimeoutMs: 30_000, maxUnauthenticated: 100 });
  });

  it('adds TCP and TLS with the sip.conf certificates, relative to the config directory', async () => {
    const config = configWith({
      'sip.conf': '[general]\nbindaddr=127.0.0.1\ntcpenable=yes\ntcpbindaddr=127.0.0.1:5998\ntlsenable=yes\ntlsbindaddr=127.0.0.1:5997\ntlscertfile=cert.pem\ntlsprivatekey=key.pem\ntlscafile=cert.pem\ntlsverifyclient=yes\ntcpauthtimeout=3\n',
    });
    const listeners = await listenersOf(config, silentLogger);
    expect(listeners.map((listener) => `${listener.transport} ${listener.address}:${listener.port}`)).toEqual(['udp 127.0.0.1:5060', 'tcp 127.0.0.1:5998', 'tls 127.0.0.1:5997']);
    const tls = listeners[2];
    expect(tls?.transport === 'tls' && tls.tls.cert.toString()).toContain('BEGIN CERTIFICATE');
    expect(tls?.transport === 'tls' && tls.tls.key.toString()).toContain('PRIVATE KEY');
    expect(tls?.transport === 'tls' && tls.tls.verifyClient).toBe(true);
    const options = await endpointOptionsOf(config);
    expect(options.authTimeoutMs).toBe(3000);
    // tlsdontverifyserver=no (the default): servers are verified against tlscafile.
    expect(options.tlsClient?.verifyServer).toBe(true);
    expect(options.tlsClient?.ca?.toString()).toContain('BEGIN CERTIFICATE');
  });

  it('refuses TLS whose certificate file is missing with a tls-config error', async () => {
    const config = configWith({ 'sip.conf': '[general]\ntlsenable=yes\ntlscertfile=missing.pem\n' });
    await expect(listenersOf(config, silentLogger)).rejects.toSatisfy((error) => error instanceof SipError && error.code === 'tls-config');
  });

  it("adds WS and WSS on Asterisk's HTTP server as http.conf describes it", async () => {
    const config = configWith({
      'sip.conf': '[general]\nbindaddr=127.0.0.1\n',
      'http.conf': '[general]\nenabled=yes\nbindaddr=127.0.0.1\nbindport=8188\nprefix=asterisk\ntlsenable=yes\ntlsbindaddr=127.0.0.1:8189\ntlscertfile=cert.pem\ntlsprivatekey=key.pem\n',
    });
    const listeners = await listenersOf(config, silentLogger);
    expect(listeners.slice(1).map((listener) => ({ transport: listener.transport, address: listener.address, port: listener.port, path: 'path' in listener ? listener.path : undefined }))).toEqual([
      { transport: 'ws', address: '127.0.0.1', port: 8188, path: '/asterisk/ws' },
      { transport: 'wss', address: '127.0.0.1', port: 8189, path: '/asterisk/ws' },
    ]);
  });

  it('opens no WebSocket listener when http.conf is disabled or websocket_enabled=no', async () => {
    const http = '[general]\nenabled=yes\nbindaddr=127.0.0.1\n';
    expect(await listenersOf(configWith({ 'sip.conf': '[general]\nwebsocket_enabled=no\n', 'http.conf': http }), silentLogger)).toHaveLength(1);
    expect(await listenersOf(configWith({ 'sip.conf': '[general]\n', 'http.conf': '[general]\nenabled=no\nbindaddr=127.0.0.1\n' }), silentLogger)).toHaveLength(1);
  });
});
