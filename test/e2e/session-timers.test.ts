/**
 * RFC 4028 session timers on both legs of a bridged call, as chan_sip runs them: the caller's
 * leg is refreshed by Tandem because the caller asked the UAS to refresh; the callee's device
 * has session-timers=originate, so Tandem asks for a 90 s session and, told to refresh, sends a
 * re-INVITE there too. The callee makes that refresh collide with its own re-INVITE: Tandem
 * answers 491 to it, takes the callee's 491 for its own, and retries after RFC 3261 §14.1's wait;
 * a callee that answers the refresh 491 and hangs up gets no retry (ASTERISK-22791). Half a
 * session interval has to pass before each refresh, so each test takes about 50 s.
 */
import { describe, expect, it } from 'vitest';
import { startSipp, type SippOptions } from '@tandem/test-support';
import { PHONE_PORT, SIP_PORT, rtpConf, scenario, sipGeneral, sippAt, useTandem, type PartyOptions } from './test-server.js';

const SERVER = '127.0.30.10';
const ALICE = '127.0.30.11';
const BOB = '127.0.30.12';
const net = { server: SERVER, sipPort: SIP_PORT };

const files = {
  'sip.conf': `
${sipGeneral(net)}

[phone](!)
type=friend
port=${PHONE_PORT}
insecure=invite
context=timers
disallow=all
allow=ulaw

[alice](phone)
host=${ALICE}

[bob](phone)
host=${BOB}
session-timers=originate
session-expires=90
`,
  'extensions.conf': `
[timers]
exten => bob,1,Dial(SIP/bob)
`,
  'rtp.conf': rtpConf(30200),
};

const phone = (address: string, options: PartyOptions): SippOptions => sippAt(net, address, PHONE_PORT, { timeoutMs: 80_000, ...options });

describe('session timers across the B2BUA', () => {
  const tandem = useTandem(files, net);

  it('refreshes both legs, and resolves a refresh glare with 491 and a later retry', { timeout: 90_000 }, async () => {
    const bob = startSipp(phone(BOB, { scenario: scenario('dialogs-uas-session-glare.xml'), args: ['-set', 'rtpport', '7012'] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Alice hangs up 8 s after her own refresh: by then bob's leg has backed off and retried.
    const alice = startSipp(phone(ALICE, { scenario: scenario('dialogs-uac-session-refresh.xml'), args: ['-s', 'bob', '-set', 'rtpport', '7010', '-d', '8000'] }));
    const [aliceResult, bobResult] = await Promise.all([alice.done, bob.done]);
    expect(aliceResult.exitCode, aliceResult.messages + aliceResult.errors).toBe(0);
    expect(bobResult.exitCode, bobResult.messages + bobResult.errors).toBe(0);
    // The retry is a new transaction of the same dialog: a higher CSeq than the refused refresh.
    const refreshSeqs = bobResult.messages
      .split(/^-{10,}.*$/m)
      .filter((block) => block.includes('message received') && /^\s*INVITE /m.test(block.split('bytes :')[1] ?? ''))
      .map((block) => Number(/^CSeq:\s*(\d+)\s+INVITE/im.exec(block)?.[1] ?? '0'));
    expect(refreshSeqs.length).toBeGreaterThanOrEqual(3);
    const [initial = 0, refresh = 0, retry = 0] = refreshSeqs;
    expect(refresh).toBeGreaterThan(initial);
    expect(retry).toBeGreaterThan(refresh);
    const after = await tandem().rx('core show channels');
    expect(after.output).toContain('0 active channels');
  });

  it('does not retry a refresh answered 491 once the party has hung up (ASTERISK-22791)', { timeout: 90_000 }, async () => {
    const bob = startSipp(phone(BOB, { scenario: scenario('dialogs-uas-refresh-491-bye.xml'), args: ['-set', 'rtpport', '7012'] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alice = startSipp(phone(ALICE, { scenario: scenario('dialogs-uac-wait-bye.xml'), args: ['-s', 'bob', '-set', 'rtpport', '7010'] }));
    const [aliceResult, bobResult] = await Promise.all([alice.done, bob.done]);
    expect(aliceResult.exitCode, aliceResult.messages + aliceResult.errors).toBe(0);
    expect(bobResult.exitCode, bobResult.messages + bobResult.errors).toBe(0);
    const after = await tandem().rx('core show channels');
    expect(after.output).toContain('0 active channels');
  });
});
