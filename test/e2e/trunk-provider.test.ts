/**
 * A provider trunk: Tandem's register => line registers to a provider (sipp) that challenges
 * it, the provider's calls to the registered Contact reach the line's extension in the
 * provider peer's context, and calls out through the provider answer its 407 with the peer's
 * credentials and carry fromuser/fromdomain.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSipp, startSipp, startTandem, type TandemProcess } from '@tandem/test-support';
import { SIP_PORT, rtpConf, scenario, sipGeneral, sippAt, type PartyOptions } from './test-server.js';

const SERVER = '127.0.32.1';
const PROVIDER = '127.0.32.2';
const ALICE = '127.0.32.3';
const PARTY_PORT = 5162;
const net = { server: SERVER, sipPort: SIP_PORT };
const asProvider = (options: PartyOptions) => sippAt(net, PROVIDER, PARTY_PORT, options);
const asAlice = (options: PartyOptions) => sippAt(net, ALICE, PARTY_PORT, options);

const files = {
  'sip.conf': `
${sipGeneral(net)}
allowguest=no
registertimeout=2
register => tandem:trunkpw@${PROVIDER}:${PARTY_PORT}/7000

[provider]
type=peer
host=${PROVIDER}
port=${PARTY_PORT}
context=from-provider
insecure=port,invite
defaultuser=tandem
remotesecret=trunkpw
fromuser=tandem
fromdomain=provider.example
disallow=all
allow=ulaw

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
[from-provider]
exten => 7000,1,Dial(SIP/alice,10)
exten => 7000,n,Hangup()

[phones]
exten => _9X.,1,Dial(SIP/provider/\${EXTEN:1},10)
exten => _9X.,n,Hangup()
`,
  'rtp.conf': rtpConf(32000),
};

describe('provider trunk: register =>, calls in and out', () => {
  let tandem: TandemProcess;
  let registration: Awaited<ReturnType<typeof runSipp>>;

  beforeAll(async () => {
    // The provider listens before Tandem starts: the first REGISTER goes out at start-up.
    const registrar = startSipp(asProvider({ scenario: scenario('trunk-provider-registrar.xml') }));
    tandem = await startTandem({ files, sipAddress: SERVER, sipPort: SIP_PORT });
    registration = await registrar.done;
  });

  afterAll(async () => {
    await tandem?.[Symbol.asyncDispose]();
  });

  it('registers to the provider answering its digest challenge, and sip show registry says Registered', async () => {
    expect(registration.exitCode, registration.messages + registration.errors).toBe(0);
    const { output } = await tandem.rx('sip show registry');
    expect(output).toMatch(new RegExp(`^${PROVIDER.replace(/\./g, '\\.')}:${PARTY_PORT}\\s+N\\s+tandem\\s+105 Registered\\s`, 'm'));
    expect(output).toContain('1 SIP registrations.');
  });

  it("routes the provider's call to the line's extension in the provider's context (Dial(SIP/alice))", async () => {
    const alice = startSipp(asAlice({ scenario: scenario('uas-answer.xml'), args: ['-set', 'rtpport', '7100'] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const provider = await runSipp(asProvider({ scenario: scenario('trunk-provider-call-in.xml'), args: ['-s', '7000', '-d', '1000'] }));
    const aliceResult = await alice.done;
    expect(provider.exitCode, provider.messages + provider.errors).toBe(0);
    expect(aliceResult.exitCode, aliceResult.messages + aliceResult.errors).toBe(0);
    // The caller ID the provider sent reaches alice.
    expect(aliceResult.messages).toMatch(/From: "Outside Caller" <sip:\+15550001111@127\.0\.32\.1(:5160)?>/);
  });

  it("calls out through the provider: 407 answered with the peer's credentials, fromuser@fromdomain in From", async () => {
    const provider = startSipp(asProvider({ scenario: scenario('trunk-provider-call-out.xml') }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alice = await runSipp(
      asAlice({ scenario: scenario('uac-call.xml'), args: ['-s', '915551234', '-au', 'alice', '-ap', 'alicepw', '-set', 'caller', 'alice', '-set', 'rtpport', '7100', '-d', '1000'] }),
    );
    const providerResult = await provider.done;
    expect(providerResult.exitCode, providerResult.messages + providerResult.errors).toBe(0);
    expect(alice.exitCode, alice.messages + alice.errors).toBe(0);
    // RFC 2617 digest of tandem:provider.example:trunkpw for this INVITE and nonce.
    const authorization = /Proxy-Authorization: (Digest .*)/.exec(providerResult.messages)?.[1] ?? '';
    const param = (name: string): string => new RegExp(`${name}="([^"]*)"`).exec(authorization)?.[1] ?? '';
    const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
    expect(param('uri')).toBe(`sip:15551234@${PROVIDER}:${PARTY_PORT}`);
    expect(param('response')).toBe(md5(`${md5('tandem:provider.example:trunkpw')}:5ca1ab1e0002:${md5(`INVITE:${param('uri')}`)}`));
  });
});
