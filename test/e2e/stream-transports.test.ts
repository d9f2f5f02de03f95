/**
 * Calls over TCP and TLS. Phones register over a connection and take their calls on it
 * (connection reuse: they listen on nothing); Tandem's TLS side uses openssl-made certificates
 * from sip.conf (tlscertfile, tlsprivatekey, tlscafile) and asks phones for theirs
 * (tlsverifyclient), and calls a transport=tls peer as a TLS client verifying its server
 * certificate (tlsdontverifyserver=no). A WebSocket phone (http.conf) takes its call on its
 * connection too.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSipp, scenarioWith, startTandem, type TandemProcess } from '@tandem/test-support';
import { StreamPhone } from './stream-phone.js';
import { rtpConf, scenario, sippAt, sipGeneral } from './test-server.js';

const SERVER = '127.0.32.21';
const CAROL = '127.0.32.22';
const DAVE = '127.0.32.23';
const ERIN = '127.0.32.24';
const ALICE = '127.0.32.25';
const WENDY = '127.0.32.26';
const HTTP_PORT = 5168;
const UDP_PORT = 5160;
const net = { server: SERVER, sipPort: UDP_PORT };
const TCP_PORT = 5160;
const TLS_PORT = 5161;
const ERIN_PORT = 5171;

/** A CA and certificates it signed (server ones with their IP as subjectAltName). */
function makeCertificates(dir: string): Record<'ca' | 'server' | 'serverKey' | 'client' | 'clientKey' | 'erin' | 'erinKey', string> {
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=Tandem Test CA', '-keyout', 'ca.key', '-out', 'ca.pem');
  const issue = (name: string, subject: string, extension: string): void => {
    writeFileSync(join(dir, `${name}.ext`), `${extension}\n`);
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', `${name}.pem`, '-extfile', `${name}.ext`);
  };
  issue('server', '/CN=tandem', `subjectAltName=IP:${SERVER}`);
  issue('client', '/CN=dave', 'extendedKeyUsage=clientAuth');
  issue('erin', '/CN=erin', `subjectAltName=IP:${ERIN}`);
  const path = (name: string): string => join(dir, name);
  return {
    ca: path('ca.pem'),
    server: path('server.pem'),
    serverKey: path('server.key'),
    client: path('client.pem'),
    clientKey: path('client.key'),
    erin: path('erin.pem'),
    erinKey: path('erin.key'),
  };
}

describe('calls over TCP and TLS', () => {
  let keys: string;
  let certs: ReturnType<typeof makeCertificates>;
  let tandem: TandemProcess;

  beforeAll(async () => {
    keys = mkdtempSync(join(tmpdir(), 'tandem-tls-'));
    certs = makeCertificates(keys);
    const files = {
      'sip.conf': `
${sipGeneral(net)}
allowguest=no
tcpenable=yes
tcpbindaddr=${SERVER}:${TCP_PORT}
tlsenable=yes
tlsbindaddr=${SERVER}:${TLS_PORT}
tlscertfile=${certs.server}
tlsprivatekey=${certs.serverKey}
tlscafile=${certs.ca}
tlsverifyclient=yes
transport=udp,tcp,tls

[phone](!)
type=friend
context=phones
disallow=all
allow=ulaw

[carol](phone)
host=dynamic
secret=carolpw
transport=tcp

[dave](phone)
host=dynamic
secret=davepw
transport=tls

[erin](phone)
host=${ERIN}
port=${ERIN_PORT}
transport=tls

[wendy](phone)
host=dynamic
secret=wendypw
transport=ws

[alice](phone)
host=${ALICE}
port=5162
secret=alicepw
`,
      'extensions.conf': `
[phones]
exten => 301,1,Dial(SIP/carol,10)
exten => 301,n,Hangup()
exten => 303,1,Dial(SIP/erin,10)
exten => 303,n,Hangup()
exten => 304,1,Dial(SIP/wendy,10)
exten => 304,n,Hangup()
`,
      'http.conf': `
[general]
enabled=yes
bindaddr=${SERVER}
bindport=${HTTP_PORT}
`,
      'rtp.conf': rtpConf(32400),
    };
    tandem = await startTandem({ files, sipAddress: SERVER, sipPort: UDP_PORT });
  });

  afterAll(async () => {
    await tandem?.[Symbol.asyncDispose]();
    rmSync(keys, { recursive: true, force: true });
  });

  /** alice (sipp over UDP) calls `exten`, keeps an answered call 0.5 s and hangs up. */
  const aliceCalls = (exten: string, path = scenario('uac-call.xml')) =>
    runSipp(
      sippAt(net, ALICE, 5162, {
        scenario: path,
        args: ['-s', exten, '-au', 'alice', '-ap', 'alicepw', '-set', 'caller', 'alice', '-set', 'rtpport', '7306', '-d', '500'],
      }),
    );

  const tlsClient = () => ({ ca: readFileSync(certs.ca), cert: readFileSync(certs.client), key: readFileSync(certs.clientKey) });

  it('carries a TLS call to a phone registered over TCP, on the connections both phones registered over', async () => {
    await using carol = await StreamPhone.connect({ transport: 'tcp', host: SERVER, port: TCP_PORT, localAddress: CAROL });
    await using dave = await StreamPhone.connect({ transport: 'tls', host: SERVER, port: TLS_PORT, localAddress: DAVE, tls: tlsClient() });
    expect((await carol.register('carol', 'carolpw', `${SERVER}:${TCP_PORT}`)).startLine).toBe('SIP/2.0 200 OK');
    expect((await dave.register('dave', 'davepw', `${SERVER}:${TLS_PORT}`)).startLine).toBe('SIP/2.0 200 OK');
    const peers = await tandem.rx('sip show peers');
    expect(peers.output).toMatch(new RegExp(`^carol/carol\\s+${CAROL.replace(/\./g, '\\.')}\\s+D\\s.*\\s${carol.local.split(':')[1]}\\s+Unmonitored`, 'm'));

    const answered = carol.answer(`${CAROL}:7300`);
    const call = await dave.call('301', 'dave', 'davepw', `${SERVER}:${TLS_PORT}`, `${DAVE}:7302`);
    const invite = await answered;
    expect(call.ok.startLine).toBe('SIP/2.0 200 OK');
    // Tandem's answer over TLS names TLS in its Contact; the INVITE to carol went over her TCP connection.
    expect(call.ok.header('Contact')).toMatch(new RegExp(`<sip:301@${SERVER.replace(/\./g, '\\.')}:${TLS_PORT};transport=tls>`));
    expect(invite.header('Via')).toMatch(new RegExp(`^SIP/2\\.0/TCP ${SERVER.replace(/\./g, '\\.')}:${TCP_PORT};`));
    expect(invite.header('Contact')).toContain(';transport=tcp>');
    expect(invite.startLine).toBe(`INVITE sip:carol@${carol.local};transport=tcp SIP/2.0`);

    const hungUp = carol.answerBye();
    expect((await call.hangup()).startLine).toBe('SIP/2.0 200 OK');
    expect((await hungUp).header('Via')).toMatch(/^SIP\/2\.0\/TCP /);
  });

  it('takes a call to a phone registered over WebSocket (RFC 7118) on its connection', async () => {
    await using wendy = await StreamPhone.connect({ transport: 'ws', host: SERVER, port: HTTP_PORT, localAddress: WENDY, path: '/ws' });
    expect((await wendy.register('wendy', 'wendypw', SERVER)).startLine).toBe('SIP/2.0 200 OK');
    const answered = wendy.answer(`${WENDY}:7308`).then(async (invite) => {
      await wendy.answerBye(15_000);
      return invite;
    });
    const alice = await aliceCalls('304');
    expect(alice.exitCode, alice.messages + alice.errors).toBe(0);
    const invite = await answered;
    expect(invite.startLine).toBe(`INVITE sip:wendy@${wendy.local};transport=ws SIP/2.0`);
    expect(invite.header('Via')).toMatch(/^SIP\/2\.0\/WS /);
    expect(invite.header('Contact')).toContain(';transport=ws>');
  });

  it('calls a transport=tls peer as a TLS client, verifying its certificate against tlscafile', async () => {
    const { server, accepted } = StreamPhone.listen({
      transport: 'tls',
      address: ERIN,
      port: ERIN_PORT,
      tls: { cert: readFileSync(certs.erin), key: readFileSync(certs.erinKey) },
    });
    try {
      const erinAnswers = accepted.then(async (erin) => {
        await using phone = erin;
        const invite = await phone.answer(`${ERIN}:7304`);
        await phone.answerBye(15_000);
        return invite;
      });
      const alice = await aliceCalls('303');
      expect(alice.exitCode, alice.messages + alice.errors).toBe(0);
      const invite = await erinAnswers;
      expect(invite.startLine).toBe(`INVITE sip:${ERIN}:${ERIN_PORT} SIP/2.0`);
      expect(invite.header('Via')).toMatch(new RegExp(`^SIP/2\\.0/TLS ${SERVER.replace(/\./g, '\\.')}:${TLS_PORT};`));
    } finally {
      server.close();
    }
  });

  it('does not call a TLS peer whose certificate tlscafile does not vouch for', async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=rogue', '-addext', `subjectAltName=IP:${ERIN}`, '-keyout', 'rogue.key', '-out', 'rogue.pem'], {
      cwd: keys,
      stdio: 'ignore',
    });
    const { server, accepted } = StreamPhone.listen({
      transport: 'tls',
      address: ERIN,
      port: ERIN_PORT,
      tls: { cert: readFileSync(join(keys, 'rogue.pem')), key: readFileSync(join(keys, 'rogue.key')) },
    });
    try {
      // The Dial fails with CONGESTION (cause 34): the caller gets 503.
      const alice = await aliceCalls('303', scenarioWith(scenario('uac-expect-final.xml'), { EXPECTED_STATUS: '503' }));
      expect(alice.exitCode, alice.messages + alice.errors).toBe(0);
      const erin = await Promise.race([accepted, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 200))]);
      expect(erin?.received ?? []).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('refuses a TLS phone without a client certificate (tlsverifyclient=yes)', async () => {
    const refused = StreamPhone.connect({ transport: 'tls', host: SERVER, port: TLS_PORT, localAddress: DAVE, tls: { ca: readFileSync(certs.ca) } }).then(
      async (phone) => {
        // TLS 1.3 reports the refusal after the handshake: the first request gets no answer.
        await using connected = phone;
        return connected.register('dave', 'davepw', `${SERVER}:${TLS_PORT}`).then(
          () => 'registered',
          () => 'refused',
        );
      },
      () => 'refused',
    );
    expect(await refused).toBe('refused');
  });
});
