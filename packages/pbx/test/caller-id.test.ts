import { describe, expect, it } from 'vitest';
import { callerIdFromRequest, presentationName, telPhoneContext } from '../src/chan-sip/caller-id.js';
import { encodeSipUser } from '../src/chan-sip/outbound-headers.js';
import { peerOf, request, sipConf } from './support/sip-fixtures.js';

const invite = (headers: string, uri = 'sip:100@127.0.0.1'): ReturnType<typeof request> =>
  request(`INVITE ${uri} SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK1
From: "Alice Cooper" <sip:(555)123-4567@127.0.0.1>;tag=1
To: <${uri}>
Call-ID: abc
CSeq: 1 INVITE
${headers}`);

const conf = sipConf(`
[general]
trustrpid=no

[plain]
type=friend

[configured]
type=friend
callerid="Front Desk" <200>
callingpres=prohib_passed_screen
cid_tag=desk

[trusted]
type=friend
trustrpid=yes
callerid="Ignored" <999>
`);

describe('caller ID of inbound calls (chan_sip check_user_full/check_peer_ok/get_rpid)', () => {
  it('takes the From display name and the shrunk From number', () => {
    const callerId = callerIdFromRequest(invite(''), peerOf(conf, 'plain'), conf.general);
    expect(callerId).toMatchObject({ name: 'Alice Cooper', number: '5551234567', presentation: 'allowed_not_screened', ani: '5551234567', dnid: '100' });
  });

  it('keeps numbers that do not look like phone numbers unshrunk', () => {
    const callerId = callerIdFromRequest(
      request(`INVITE sip:s@127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK1
From: <sip:john.doe-1@127.0.0.1>;tag=1
To: <sip:s@127.0.0.1>
Call-ID: abc
CSeq: 1 INVITE
`),
      undefined,
      conf.general,
    );
    expect(callerId).toMatchObject({ name: '', number: 'john.doe-1', dnid: '' });
  });

  it("applies the device's callerid=, callingpres and cid_tag", () => {
    const callerId = callerIdFromRequest(invite(''), peerOf(conf, 'configured'), conf.general);
    expect(callerId).toMatchObject({ name: 'Front Desk', number: '200', presentation: 'prohib_passed_screen', tag: 'desk' });
  });

  it('ignores Remote-Party-ID from an untrusted device', () => {
    const callerId = callerIdFromRequest(invite('Remote-Party-ID: "Boss" <sip:1@host>;privacy=full;screen=yes'), peerOf(conf, 'plain'), conf.general);
    expect(callerId).toMatchObject({ name: 'Alice Cooper', number: '5551234567' });
  });

  it('takes Remote-Party-ID with privacy and screen from a trusted device, over its callerid=', () => {
    const callerId = callerIdFromRequest(invite('Remote-Party-ID: "Boss" <sip:+1(555)0100@host>;party=calling;privacy=full;screen=yes'), peerOf(conf, 'trusted'), conf.general);
    expect(callerId).toMatchObject({ name: 'Boss', number: '+15550100', presentation: 'prohib_passed_screen' });
  });

  it('falls back to P-Asserted-Identity; Privacy restricts it', () => {
    const callerId = callerIdFromRequest(invite('P-Asserted-Identity: "Ops" <sip:300@host>\nPrivacy: id'), peerOf(conf, 'trusted'), conf.general);
    expect(callerId).toMatchObject({ name: 'Ops', number: '300', presentation: 'prohib_not_screened' });
  });

  it('keeps the From number for an anonymous P-Asserted-Identity', () => {
    const callerId = callerIdFromRequest(invite('P-Asserted-Identity: "Anonymous" <sip:anonymous@anonymous.invalid>'), peerOf(conf, 'trusted'), conf.general);
    expect(callerId).toMatchObject({ name: 'Anonymous', number: '5551234567', presentation: 'prohib_not_screened' });
  });

  it("uses the device's callerid= when the asserted identity equals the From one", () => {
    const callerId = callerIdFromRequest(invite('Remote-Party-ID: "Alice Cooper" <sip:5551234567@host>'), peerOf(conf, 'trusted'), conf.general);
    expect(callerId).toMatchObject({ name: 'Ignored', number: '999' });
  });

  it('ignores a malformed Remote-Party-ID', () => {
    const callerId = callerIdFromRequest(invite('Remote-Party-ID: Boss sip:1@host'), peerOf(conf, 'trusted'), conf.general);
    expect(callerId).toMatchObject({ name: 'Ignored', number: '999' });
  });

  it('lets guests assert an identity only with trustrpid in [general]', () => {
    const trusting = sipConf('[general]\ntrustrpid=yes\n');
    const asserted = invite('Remote-Party-ID: <sip:42@host>;screen=no');
    expect(callerIdFromRequest(asserted, undefined, trusting.general)).toMatchObject({ name: '', number: '42' });
    expect(callerIdFromRequest(asserted, undefined, conf.general)).toMatchObject({ number: '5551234567' });
  });
});

describe('caller identity helpers', () => {
  it('names presentation numbers as CALLERID(pres) does', () => {
    expect(presentationName(0x21)).toBe('prohib_passed_screen');
    expect(presentationName(0x43)).toBe('unavailable');
    expect(presentationName(7)).toBe('allowed_not_screened');
  });

  it('reads the phone context of tel: Request-URIs (SIPURIPHONECONTEXT)', () => {
    expect(telPhoneContext(invite('', 'tel:+15558675309;phone-context=foo.com'))).toBe('foo.com');
    expect(telPhoneContext(invite('', 'tel:+15558675309'))).toBe('+15558675309');
    expect(telPhoneContext(invite('', 'tel:911'))).toBeUndefined();
    expect(telPhoneContext(invite(''))).toBeUndefined();
  });

  it('percent-encodes URI users like ast_uri_encode(ast_uri_sip_user)', () => {
    expect(encodeSipUser('+1-555;x=1')).toBe('+1-555;x=1');
    expect(encodeSipUser('John Doe')).toBe('John%20Doe');
    expect(encodeSipUser('100%')).toBe('100%25');
    expect(encodeSipUser('é')).toBe('%C3%A9');
  });
});
