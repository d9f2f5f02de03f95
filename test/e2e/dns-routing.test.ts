/**
 * DNS routing from tandem.conf's dnsservers: a DNS server on loopback (the DnsTestServer of
 * @tandem/sip/testing) serves SRV, A and NAPTR records. Dial(SIP/user@domain) follows RFC 3263
 * with fail-over (NAPTR picks TCP first, whose target refuses the connection, then UDP SRV
 * targets: one answering 503, one taking the call), and an ENUM lookup over enum.conf's search suffix routes a number to a SIP URI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsTestServer } from '@tandem/sip/testing';
import { runSipp, startSipp, startTandem, type TandemProcess } from '@tandem/test-support';
import { SIP_PORT, rtpConf, scenario, sipGeneral, sippAt } from './test-server.js';

const SERVER = '127.0.32.11';
const REFUSING = '127.0.32.12';
const UNAVAILABLE = '127.0.32.13';
const ANSWERING = '127.0.32.14';
const ALICE = '127.0.32.15';
const DNS = '127.0.32.19';
const PARTY_PORT = 5162;
const net = { server: SERVER, sipPort: SIP_PORT };

function files(dnsServer: string): Record<string, string> {
  return {
    'sip.conf': `
${sipGeneral(net)}
allowguest=no
srvlookup=yes
; TCP too, so NAPTR may choose it.
tcpenable=yes
tcpbindaddr=${SERVER}:${SIP_PORT}

[alice]
type=friend
host=${ALICE}
port=${PARTY_PORT}
secret=alicepw
context=phones
disallow=all
allow=ulaw
`,
    'extensions.conf': `
[phones]
exten => 1234,1,Dial(SIP/1234@trunk.test,30)
exten => 1234,n,Hangup()
exten => _1X.,1,Dial(SIP/\${ENUMLOOKUP(+\${EXTEN})},10)
exten => _1X.,n,Hangup()
`,
    'enum.conf': `
[general]
search => e164.test
`,
    'tandem.conf': `
[general]
dnsservers = ${dnsServer}
`,
    'rtp.conf': rtpConf(32200),
  };
}

describe('DNS routing: RFC 3263 fail-over and ENUM', () => {
  let dns: DnsTestServer;
  let tandem: TandemProcess;

  beforeAll(async () => {
    dns = await DnsTestServer.start({
      address: DNS,
      zone: {
        // RFC 3263 §4.1: TCP first by NAPTR order, then UDP.
        'trunk.test': {
          NAPTR: [
            { order: 20, preference: 10, flags: 's', services: 'SIP+D2U', regexp: '', replacement: '_sip._udp.trunk.test' },
            { order: 10, preference: 10, flags: 's', services: 'SIP+D2T', regexp: '', replacement: '_sip._tcp.trunk.test' },
          ],
        },
        '_sip._tcp.trunk.test': { SRV: [{ priority: 10, weight: 0, port: PARTY_PORT, target: 'refusing.trunk.test' }] },
        '_sip._udp.trunk.test': {
          SRV: [
            { priority: 20, weight: 0, port: PARTY_PORT, target: 'good.trunk.test' },
            { priority: 10, weight: 0, port: PARTY_PORT, target: 'busy.trunk.test' },
          ],
        },
        'refusing.trunk.test': { A: [REFUSING] },
        'busy.trunk.test': { A: [UNAVAILABLE] },
        'good.trunk.test': { A: [ANSWERING] },
        '4.3.2.1.5.5.5.1.e164.test': {
          NAPTR: [
            { order: 100, preference: 10, flags: 'u', services: 'E2U+sip', regexp: `!^(.*)$!sip:enum\\1@${ANSWERING}:${PARTY_PORT}!`, replacement: '.' },
            { order: 50, preference: 10, flags: 'u', services: 'E2U+mailto', regexp: '!^(.*)$!mailto:\\1@mail.test!', replacement: '.' },
          ],
        },
      },
    });
    tandem = await startTandem({ files: files(dns.server), sipAddress: SERVER, sipPort: SIP_PORT });
  });

  afterAll(async () => {
    await tandem?.[Symbol.asyncDispose]();
    await dns?.close();
  });

  function alice(service: string) {
    return runSipp(
      sippAt(net, ALICE, PARTY_PORT, {
        scenario: scenario('uac-call.xml'),
        args: ['-s', service, '-au', 'alice', '-ap', 'alicepw', '-set', 'caller', 'alice', '-set', 'rtpport', '7200', '-d', '500'],
        timeoutMs: 40_000,
      }),
    );
  }

  it('fails over from a TCP target that refuses the connection and a UDP one answering 503 to the next target', async () => {
    const unavailable = startSipp(sippAt(net, UNAVAILABLE, PARTY_PORT, { scenario: scenario('trunk-uas-unavailable.xml') }));
    const answering = startSipp(sippAt(net, ANSWERING, PARTY_PORT, { scenario: scenario('uas-answer.xml'), args: ['-set', 'rtpport', '7202'] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const caller = await alice('1234');
    const [unavailableResult, answeringResult] = await Promise.all([unavailable.done, answering.done]);
    expect(caller.exitCode, caller.messages + caller.errors).toBe(0);
    expect(unavailableResult.exitCode, unavailableResult.messages).toBe(0);
    expect(answeringResult.exitCode, answeringResult.messages).toBe(0);
    // Same call (Call-ID) at both targets, the Request-URI written for the domain.
    const callId = (text: string): string | undefined => /^Call-ID: (.*)$/m.exec(text)?.[1];
    expect(callId(answeringResult.messages)).toBe(callId(unavailableResult.messages));
    expect(answeringResult.messages).toContain('INVITE sip:1234@trunk.test SIP/2.0');
    expect(dns.queries.slice(0, 3)).toEqual([
      { name: 'trunk.test', type: 'NAPTR' },
      { name: '_sip._tcp.trunk.test', type: 'SRV' },
      { name: 'refusing.trunk.test', type: 'A' },
    ]);
  });

  it('routes a number through ENUMLOOKUP over the enum.conf search suffix (E2U+sip record)', async () => {
    const answering = startSipp(sippAt(net, ANSWERING, PARTY_PORT, { scenario: scenario('uas-answer.xml'), args: ['-set', 'rtpport', '7202'] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const caller = await alice('15551234');
    const answeringResult = await answering.done;
    expect(caller.exitCode, caller.messages + caller.errors).toBe(0);
    expect(answeringResult.exitCode, answeringResult.messages).toBe(0);
    expect(answeringResult.messages).toContain(`INVITE sip:enum+15551234@${ANSWERING}:${PARTY_PORT} SIP/2.0`);
    expect(dns.queries).toContainEqual({ name: '4.3.2.1.5.5.5.1.e164.test', type: 'NAPTR' });
  });
});
