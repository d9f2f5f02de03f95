/**
 * Transfer() on an answered SIP call (chan_sip sip_transfer() -> transmit_refer(), the outcome
 * from handle_response_refer() and the refer NOTIFY's sipfrag): Tandem sends REFER with
 * Refer-To built from the destination and the caller's host, Referred-By our Contact, and sets
 * TRANSFERSTATUS / TRANSFERSTATUSPROTOCOL from the NOTIFY (200 -> SUCCESS|0, 603 -> FAILURE|1)
 * or from a REFER refused outright (501 -> FAILURE|1); a challenged REFER is sent again with the
 * peer's credentials. The caller is a sipp process on 127.0.46.32.
 */
import { describe, expect, it } from 'vitest';
import { runSipp, scenarioWith, type SippResult } from '@tandem/test-support';
import { clearDatabaseValue, databaseValue, sipConf, staticPhone, type DialplanNet } from './dialplan-support.js';
import { PHONE_PORT, SIP_PORT, rtpConf, scenario, sippAt, useTandem } from './test-server.js';

const SERVER = '127.0.46.31';
const ALICE = '127.0.46.32';
const net: DialplanNet = { server: SERVER, sipPort: SIP_PORT, caller: ALICE, callee: ALICE, phonePort: PHONE_PORT };

const files = {
  // alice's INVITEs are not challenged (insecure=invite); her secret answers her own challenges.
  'sip.conf': sipConf(net, staticPhone('alice', ALICE, PHONE_PORT, 'secret=alicepw\ninsecure=invite')),
  'extensions.conf': `[office]
exten => 400,1,Answer()
same => n,Transfer(SIP/500)
same => n,Set(DB(e2e/xfer)=\${TRANSFERSTATUS}|\${TRANSFERSTATUSPROTOCOL})
same => n,Hangup()
`,
  'rtp.conf': rtpConf(46_300),
};

/** alice calls 400 with `path`, a REFER scenario, and its `vars`. */
function call(path: string, vars: Record<string, string> = {}): Promise<SippResult> {
  return runSipp(sippAt(net, ALICE, PHONE_PORT, {
    scenario: path,
    args: ['-s', '400', '-set', 'caller', 'alice', '-set', 'rtpport', '7000', '-mi', ALICE, ...Object.entries(vars).flatMap(([name, value]) => ['-set', name, value])],
    timeoutMs: 30_000,
  }));
}

describe('Transfer() of an answered call (REFER)', () => {
  const tandem = useTandem(files, net);

  it('REFERs the caller to the destination at its own host and reports SUCCESS from the NOTIFY', async () => {
    await clearDatabaseValue(tandem(), 'e2e', 'xfer');
    const result = await call(scenario('transfer-uac-call-refer-notify.xml'), { frag: 'SIP/2.0 200 OK' });
    expect(result.exitCode, result.errors + result.messages).toBe(0);
    expect(result.logs).toContain(`refer-to=<sip:500@${ALICE}:${PHONE_PORT}>`);
    expect(result.logs).toContain(`referred-by=<sip:400@${SERVER}:${SIP_PORT}>`);
    expect(await databaseValue(tandem(), 'e2e', 'xfer')).toBe('SUCCESS|0');
  });

  it("answers a challenge to the REFER with the peer's credentials", async () => {
    await clearDatabaseValue(tandem(), 'e2e', 'xfer');
    const result = await call(scenario('transfer-uac-call-refer-auth.xml'), { frag: 'SIP/2.0 200 OK', password: 'alicepw' });
    expect(result.exitCode, result.errors + result.messages).toBe(0);
    expect(result.logs).toMatch(/auth=Digest username="alice" valid=true/);
    expect(await databaseValue(tandem(), 'e2e', 'xfer')).toBe('SUCCESS|0');
  });

  it('reports FAILURE when the NOTIFY says the transfer was declined', async () => {
    await clearDatabaseValue(tandem(), 'e2e', 'xfer');
    const result = await call(scenario('transfer-uac-call-refer-notify.xml'), { frag: 'SIP/2.0 603 Declined' });
    expect(result.exitCode, result.errors + result.messages).toBe(0);
    expect(await databaseValue(tandem(), 'e2e', 'xfer')).toBe('FAILURE|1');
  });

  it('reports FAILURE when the REFER itself is refused', async () => {
    await clearDatabaseValue(tandem(), 'e2e', 'xfer');
    const result = await call(scenarioWith(scenario('transfer-uac-call-refer-refuse.xml'), { REFUSE_STATUS: '501' }));
    expect(result.exitCode, result.errors + result.messages).toBe(0);
    expect(await databaseValue(tandem(), 'e2e', 'xfer')).toBe('FAILURE|1');
  });
});
