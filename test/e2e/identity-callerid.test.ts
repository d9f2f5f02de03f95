/**
 * Caller ID set by the dialplan reaching the callee (reference §5.3, chan_sip initreqprep() and
 * add_rpid()): CALLERID(name)/CALLERID(num) become the From of the outgoing INVITE and its
 * P-Asserted-Identity (sendrpid=pai) or Remote-Party-ID (sendrpid=rpid); a restricted
 * CALLERID(pres) gives the anonymous From, with the identity kept in P-Asserted-Identity plus
 * `Privacy: id` only for a device trusted with it (trust_id_outbound=yes). sipp plays the phones
 * on 127.0.33.3x.
 */
import { describe, expect, it } from 'vitest';
import { headerValues, received, settle, startCallThatHangsUp, startCallee, type DialplanNet } from './dialplan-support.js';
import { PHONE_PORT, SIP_PORT, rtpConf, sipGeneral, useTandem } from './test-server.js';

const net: DialplanNet = { server: '127.0.33.31', sipPort: SIP_PORT, caller: '127.0.33.32', callee: '127.0.33.33', phonePort: PHONE_PORT };

const files = {
  'sip.conf': `${sipGeneral(net)}
allowguest=no

[phone](!)
type=friend
context=office
disallow=all
allow=ulaw

[alice](phone)
host=dynamic
callerid="Alice" <2001>

[bob-pai](phone)
host=${net.callee}
port=${net.phonePort}
sendrpid=pai
trust_id_outbound=yes

[bob-rpid](phone)
host=${net.callee}
port=${net.phonePort}
sendrpid=rpid
`,
  'extensions.conf': `
[office]
exten => 300,1,Set(CALLERID(name)=Front "Desk")
 same => n,Set(CALLERID(num)=+15550100)
 same => n,Dial(SIP/bob-pai)
exten => 301,1,Set(CALLERID(pres)=prohib_passed_screen)
 same => n,Dial(SIP/bob-pai)
exten => 302,1,Set(CALLERID(all)="Sales" <7000>)
 same => n,Set(CALLERID(num-pres)=allowed_passed_screen)
 same => n,Dial(SIP/bob-rpid)
`,
  'rtp.conf': rtpConf(23500),
};

/** Places a call from alice to `exten`, answered by the callee; returns the INVITE the callee got. */
async function inviteSeenByCallee(exten: string): Promise<ReturnType<typeof received>> {
  const callee = startCallee(net, 'uas-answer.xml');
  await settle();
  const caller = startCallThatHangsUp(net, { exten, from: 'alice', holdMs: 300 });
  const [callerResult, calleeResult] = await Promise.all([caller.done, callee.done]);
  expect(callerResult.exitCode, callerResult.errors).toBe(0);
  expect(calleeResult.exitCode, calleeResult.errors).toBe(0);
  return received(calleeResult.messages, 'INVITE');
}

describe('CALLERID() reaching the callee', () => {
  useTandem(files, net);

  it('puts the name and number the dialplan set in From and P-Asserted-Identity', async () => {
    const invite = await inviteSeenByCallee('300');
    expect(headerValues(invite, 'From')[0]).toMatch(new RegExp(`^"Front \\\\"Desk\\\\"" <sip:\\+15550100@${net.server.replace(/\./g, '\\.')}:${net.sipPort}>;tag=`));
    expect(headerValues(invite, 'P-Asserted-Identity')).toEqual([`"Front \\"Desk\\"" <sip:+15550100@${net.server}>`]);
    expect(headerValues(invite, 'Privacy')).toEqual([]);
  });

  it('hides a restricted caller in From, and asserts it with Privacy: id to a trusted device', async () => {
    const invite = await inviteSeenByCallee('301');
    expect(headerValues(invite, 'From')[0]).toMatch(/^"Anonymous" <sip:anonymous@anonymous\.invalid:5160>;tag=/);
    expect(headerValues(invite, 'P-Asserted-Identity')).toEqual([`"Alice" <sip:2001@${net.server}>`]);
    expect(headerValues(invite, 'Privacy')).toEqual(['id']);
  });

  it('sends CALLERID(all) with its presentation as Remote-Party-ID', async () => {
    const invite = await inviteSeenByCallee('302');
    expect(headerValues(invite, 'From')[0]).toMatch(/^"Sales" <sip:7000@/);
    expect(headerValues(invite, 'Remote-Party-ID')).toEqual([`"Sales" <sip:7000@${net.server}>;party=calling;privacy=off;screen=yes`]);
  });
});
