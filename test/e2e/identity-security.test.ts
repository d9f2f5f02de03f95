/**
 * Brute-force protection beyond Asterisk (tandem.conf [security]): after `authfailurelimit`
 * refused authentications from one address within `authfailurewindow` seconds, that address
 * is blocked (its requests dropped unanswered) for `blockseconds`; chan_sip's NOTICE lines
 * are still logged for fail2ban, `sip show blocked` lists the address and `sip unblock` lifts
 * the block. Phones are sipp processes and raw OPTIONS probes on 127.0.33.x.
 */
import { describe, expect, it } from 'vitest';
import { runSipp, sipOptionsPing, type SippResult } from '@tandem/test-support';
import { type DialplanNet } from './dialplan-support.js';
import { PHONE_PORT, SIP_PORT, scenario, sipGeneral, sippAt, useTandem } from './test-server.js';

const SERVER = '127.0.33.21';
const ATTACKER = '127.0.33.22';
const PHONE = '127.0.33.23';
const net: DialplanNet = { server: SERVER, sipPort: SIP_PORT, caller: PHONE, callee: PHONE, phonePort: PHONE_PORT };

const files = {
  'sip.conf': `${sipGeneral(net)}
allowguest=no

[alice]
type=friend
host=dynamic
secret=rightpassword
context=office
`,
  'extensions.conf': '[office]\nexten => 100,1,Hangup()\n',
  'tandem.conf': '[security]\nauthfailurelimit = 3\nauthfailurewindow = 60\nblockseconds = 600\n',
};

/** One REGISTER as alice with `password` from `address` (401, then 403 for a wrong one). */
function registerWith(address: string, password: string): Promise<SippResult> {
  return runSipp(sippAt(net, address, PHONE_PORT, {
    scenario: scenario('register-wrong-password.xml'),
    args: ['-s', 'alice', '-au', 'alice', '-ap', password, '-set', 'caller', 'alice', '-set', 'rtpport', '7000', '-recv_timeout', '2000'],
    timeoutMs: 15_000,
  }));
}

describe('brute-force blocking', () => {
  const tandem = useTandem(files, net);

  it('blocks an address after authfailurelimit wrong passwords, lists it, and lifts the block on sip unblock', async () => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const result = await registerWith(ATTACKER, `guess${attempt}`);
      expect(result.exitCode, result.errors).toBe(0);
    }
    // chan_sip's fail2ban line for each refusal (the log line may reach the pipe after the 403).
    const notices = (): string[] =>
      tandem()
        .output()
        .split('\n')
        .filter((line) => line.includes(`failed for '${ATTACKER}:${PHONE_PORT}' - Wrong password`));
    await expect.poll(notices, { timeout: 5000 }).toHaveLength(3);

    // The attacker is answered no more; everyone else still is.
    expect(await sipOptionsPing(SERVER, SIP_PORT, 500, ATTACKER)).toBeUndefined();
    expect(await sipOptionsPing(SERVER, SIP_PORT, 2000, PHONE)).toMatch(/^SIP\/2\.0 /);
    const fourth = await registerWith(ATTACKER, 'guess4');
    expect(fourth.exitCode).not.toBe(0);
    expect(fourth.messages).not.toContain('SIP/2.0 401');

    const blocked = await tandem().rx('sip show blocked');
    expect(blocked.code).toBe(0);
    expect(blocked.output).toMatch(new RegExp(`^${ATTACKER.replace(/\./g, '\\.')}\\s+3\\s`, 'm'));
    expect(blocked.output).toContain('1 blocked address(es).');

    expect((await tandem().rx(`sip unblock ${ATTACKER}`)).output).toContain(`Unblocked ${ATTACKER}`);
    expect(await sipOptionsPing(SERVER, SIP_PORT, 2000, ATTACKER)).toMatch(/^SIP\/2\.0 /);
    expect((await tandem().rx('sip show blocked')).output).toContain('0 blocked address(es).');
  });

  it('counts failures per address: one refusal elsewhere blocks nobody', async () => {
    const phoneAttempts = await registerWith(PHONE, 'wrong');
    expect(phoneAttempts.exitCode).toBe(0);
    expect(await sipOptionsPing(SERVER, SIP_PORT, 2000, PHONE)).toMatch(/^SIP\/2\.0 /);
    expect((await tandem().rx('sip show blocked')).output).not.toContain(PHONE);
  });
});
