/**
 * TCP/TLS session limits and TLS files on reload (chan_sip sip_tcp_worker_fn(),
 * reload_config()): with `tcpauthlimit=2`, a third session while two are still unauthenticated
 * is closed at once, and a session that authenticates (a REGISTER answered 200) frees its
 * place. `sip reload` reads the TLS certificate files again: a renewed certificate is served
 * to new TLS sessions; an unreadable one refuses the reload, naming the sip.conf line, and the
 * running certificate stays.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTandem, type TandemProcess } from '@tandem/test-support';
import { StreamPhone } from './stream-phone.js';

const SERVER = '127.0.46.41';
const ALICE = '127.0.46.42';
const PROBE = '127.0.46.43';
const SIP_PORT = 5160;
const TLS_PORT = 5161;

/** A self-signed certificate and key named `CN=<name>`, written over `cert` and `key`. */
function writeCertificate(name: string, cert: string, key: string): void {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
}

/** A raw TCP session from the probe address; resolves once connected. */
async function openSession(): Promise<Socket> {
  const socket = netConnect({ host: SERVER, port: SIP_PORT, localAddress: PROBE });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

/** What the server does with a session: answers an OPTIONS on it, or closes it first. */
function optionsOutcome(socket: Socket): Promise<'answered' | 'closed'> {
  return new Promise((resolve) => {
    socket.once('data', () => resolve('answered'));
    socket.once('close', () => resolve('closed'));
    const callId = `${Math.random().toString(16).slice(2)}@probe`;
    socket.write(
      [
        `OPTIONS sip:${SERVER}:${SIP_PORT};transport=tcp SIP/2.0`,
        `Via: SIP/2.0/TCP ${PROBE}:${socket.localPort ?? 0};branch=z9hG4bK${callId.slice(0, 8)}`,
        `From: <sip:probe@${PROBE}>;tag=1`,
        `To: <sip:${SERVER}>`,
        `Call-ID: ${callId}`,
        'CSeq: 1 OPTIONS',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  });
}

/** The CN of the certificate the server presents to a new TLS session. */
async function servedCertificate(): Promise<string> {
  const socket = tlsConnect({ host: SERVER, port: TLS_PORT, rejectUnauthorized: false });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  const subject = socket.getPeerCertificate().subject;
  socket.destroy();
  return String(subject?.CN ?? '');
}

describe('tcpauthlimit and TLS files on sip reload', () => {
  let keys: string;
  let cert: string;
  let key: string;
  let tandem: TandemProcess;

  beforeAll(async () => {
    keys = mkdtempSync(join(tmpdir(), 'tandem-tls-reload-'));
    cert = join(keys, 'server.pem');
    key = join(keys, 'server.key');
    writeCertificate('first', cert, key);
    const sipConf = `[general]
bindaddr=${SERVER}
bindport=${SIP_PORT}
allowguest=no
tcpenable=yes
tcpbindaddr=${SERVER}:${SIP_PORT}
tcpauthlimit=2
tlsenable=yes
tlsbindaddr=${SERVER}:${TLS_PORT}
tlscertfile=${cert}
tlsprivatekey=${key}

[alice]
type=friend
host=dynamic
secret=alicepw
transport=tcp
context=office
`;
    tandem = await startTandem({ files: { 'sip.conf': sipConf, 'extensions.conf': '[office]\n' }, sipAddress: SERVER, sipPort: SIP_PORT });
  });
  afterAll(async () => {
    await tandem[Symbol.asyncDispose]();
    rmSync(keys, { recursive: true, force: true });
  });

  it('closes a session beyond two unauthenticated ones, and counts a session no more once it authenticates', async () => {
    const first = await openSession();
    // alice's session is the second unauthenticated one: the limit is reached.
    await using alice = await StreamPhone.connect({ transport: 'tcp', host: SERVER, port: SIP_PORT, localAddress: ALICE });
    const refused = await openSession();
    expect(await optionsOutcome(refused)).toBe('closed');

    // Her REGISTER answered 200 authenticates her session: its place is free again.
    const registered = await alice.register('alice', 'alicepw', `${SERVER}:${SIP_PORT}`);
    expect(registered.startLine).toBe('SIP/2.0 200 OK');
    const second = await openSession();
    expect(await optionsOutcome(second)).toBe('answered');
    // An OPTIONS does not authenticate: first and second hold both places.
    const third = await openSession();
    expect(await optionsOutcome(third)).toBe('closed');
    for (const socket of [first, second]) socket.destroy();
  });

  it('serves a renewed certificate after sip reload, and refuses a reload whose certificate cannot be read', async () => {
    expect(await servedCertificate()).toBe('first');
    writeCertificate('second', cert, key);
    const reloaded = await tandem.rx('sip reload');
    expect(reloaded.output).toContain('Reloaded.');
    expect(await servedCertificate()).toBe('second');

    rmSync(key);
    const refused = await tandem.rx('sip reload');
    expect(refused.output).toContain('Reload failed; the running configuration is unchanged.');
    expect(refused.output).toMatch(/sip\.conf:11: .*Cannot read TLS file/);
    expect(await servedCertificate()).toBe('second');
  });
});
