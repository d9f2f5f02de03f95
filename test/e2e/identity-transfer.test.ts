/**
 * REFER blind transfers (chan_sip handle_request_refer(), reference §5.7 Transfer): the callee
 * or the caller of a bridged call sends REFER; Tandem answers 202, moves the other party to
 * the Refer-To extension, tells the transferor the outcome in a NOTIFY with a sipfrag and lets
 * the transferor's phone hang up. Every phone is a sipp process on 127.0.33.x.
 */
import { describe, expect, it } from 'vitest';
import { startSipp, type SippRun } from '@tandem/test-support';
import { clearDatabaseValue, databaseValue, headerValues, received, settle, type DialplanNet } from './dialplan-support.js';
import { PHONE_PORT, SIP_PORT, rtpConf, scenario, sipGeneral, sippAt, useTandem } from './test-server.js';

const SERVER = '127.0.33.1';
const ALICE = '127.0.33.2';
const BOB = '127.0.33.3';
const CAROL = '127.0.33.4';
const net: DialplanNet = { server: SERVER, sipPort: SIP_PORT, caller: ALICE, callee: BOB, phonePort: PHONE_PORT };

const files = {
  'sip.conf': `${sipGeneral(net)}
allowguest=no

[phone](!)
type=friend
context=office
disallow=all
allow=ulaw
port=${PHONE_PORT}

[alice](phone)
host=${ALICE}
callerid="Alice" <2001>

[bob](phone)
host=${BOB}

[carol](phone)
host=${CAROL}

[dave](phone)
host=${CAROL}
allowtransfer=no
`,
  'extensions.conf': `
[office]
exten => 200,1,Dial(SIP/bob)
exten => 300,1,Set(DB(e2e/xfer)=\${SIPTRANSFER}|\${SIPTRANSFER_REFERER}|\${SIPREFERRINGCONTEXT}|\${CALLERID(num)})
 same => n,Dial(SIP/carol)
`,
  'rtp.conf': rtpConf(23300),
};

/** A phone played by sipp on `address`, running `name` with `-set` variables. */
function phone(address: string, name: string, variables: Record<string, string>, extra: readonly string[] = []): SippRun {
  return startSipp(sippAt(net, address, PHONE_PORT, {
    scenario: scenario(name),
    args: [...Object.entries(variables).flatMap(([key, value]) => ['-set', key, value]), '-mi', address, ...extra],
    timeoutMs: 40_000,
  }));
}

/** alice calling extension `exten` (and waiting for Tandem's BYE), or transferring with REFER. */
function alice(scenarioName: string, exten: string, variables: Record<string, string> = {}, extra: readonly string[] = []): SippRun {
  return phone(ALICE, scenarioName, { caller: 'alice', touri: `sip:${exten}@${SERVER}`, rtpport: '7000', pt: '0', codec: 'PCMU', ...variables }, ['-s', exten, ...extra]);
}

describe('REFER blind transfer', () => {
  const tandem = useTandem(files, net);

  it('moves the caller to the Refer-To extension when the callee transfers it', async () => {
    await clearDatabaseValue(tandem(), 'e2e', 'xfer');
    const carol = phone(CAROL, 'uas-answer-then-bye.xml', { caller: 'tandem', rtpport: '7004' }, ['-d', '1500']);
    const bob = phone(BOB, 'identity-uas-answer-refer.xml', { caller: 'tandem', rtpport: '7002', target: '300' }, ['-d', '500']);
    await settle();
    const caller = alice('dialplan-caller-answered.xml', '200');
    const [callerResult, bobResult, carolResult] = await Promise.all([caller.done, bob.done, carol.done]);
    expect(bobResult.exitCode, bobResult.errors + bobResult.messages).toBe(0);
    expect(bobResult.logs).toContain('sipfrag=SIP/2.0 200 OK');
    expect(bobResult.logs).toContain('event=refer;id=1');
    expect(carolResult.exitCode, carolResult.errors).toBe(0);
    expect(callerResult.exitCode, callerResult.errors).toBe(0);
    // The transferee keeps its caller ID: carol sees alice calling.
    expect(headerValues(received(carolResult.messages, 'INVITE'), 'From')[0]).toMatch(/^"Alice" <sip:2001@/);
    expect(await databaseValue(tandem(), 'e2e', 'xfer')).toBe(`yes|<sip:bob@${BOB}:${PHONE_PORT}>|office|2001`);
  });

  it('moves the callee to the Refer-To extension when the caller transfers it', async () => {
    await clearDatabaseValue(tandem(), 'e2e', 'xfer');
    const carol = phone(CAROL, 'uas-answer-then-bye.xml', { caller: 'tandem', rtpport: '7004' }, ['-d', '1500']);
    const bob = phone(BOB, 'uas-answer.xml', { caller: 'tandem', rtpport: '7002' });
    await settle();
    const caller = alice('identity-uac-call-refer.xml', '200', { target: '300' }, ['-d', '500']);
    const [callerResult, bobResult, carolResult] = await Promise.all([caller.done, bob.done, carol.done]);
    expect(callerResult.exitCode, callerResult.errors + callerResult.messages).toBe(0);
    expect(callerResult.logs).toContain('sipfrag=SIP/2.0 200 OK');
    expect(carolResult.exitCode, carolResult.errors).toBe(0);
    // bob, now talking to carol, is hung up by Tandem when carol hangs up.
    expect(bobResult.exitCode, bobResult.errors).toBe(0);
    expect(await databaseValue(tandem(), 'e2e', 'xfer')).toBe('yes||office|2001');
  });

  it('reports a Refer-To that is no extension with a 404 sipfrag and keeps the call', async () => {
    const bob = phone(BOB, 'identity-uas-answer-refer.xml', { caller: 'tandem', rtpport: '7002', target: '999' }, ['-d', '300']);
    await settle();
    const caller = alice('dialplan-caller-answered.xml', '200');
    const [callerResult, bobResult] = await Promise.all([caller.done, bob.done]);
    expect(bobResult.exitCode, bobResult.errors + bobResult.messages).toBe(0);
    expect(bobResult.logs).toContain('sipfrag=SIP/2.0 404 Not found');
    // bob's own BYE ended the call normally: alice got Tandem's BYE.
    expect(callerResult.exitCode, callerResult.errors).toBe(0);
  });
});
