import { describe, expect, it } from 'vitest';
import { parseRefer } from '../src/chan-sip/in-dialog/refer.js';
import { request } from './support/sip-fixtures.js';

const refer = (headers: string): ReturnType<typeof request> =>
  request(`REFER sip:100@127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK1
From: <sip:bob@127.0.0.1>;tag=1
To: <sip:100@127.0.0.1>;tag=2
Call-ID: abc
CSeq: 7 REFER
${headers}`);

describe('REFER targets (chan_sip get_refer_info())', () => {
  it('reads the extension, domain without port, and Referred-By', () => {
    expect(parseRefer(refer('Refer-To: <sip:3%2000@pbx.example.com:5070;user=phone>\nReferred-By: "Bob" <sip:bob@10.0.0.2;foo=bar>'))).toEqual({
      exten: '3 00',
      domain: 'pbx.example.com',
      referredBy: '<sip:bob@10.0.0.2>',
      attended: false,
    });
    expect(parseRefer(refer('Refer-To: sips:300@[2001:db8::1]:5061'))).toMatchObject({ exten: '300', domain: '[2001:db8::1]', referredBy: '' });
  });

  it('recognises attended transfers, missing and non-SIP targets', () => {
    expect(parseRefer(refer('Refer-To: <sip:300@pbx?Replaces=abc%3Bto-tag%3D1%3Bfrom-tag%3D2>'))).toMatchObject({ attended: true });
    expect(parseRefer(refer(''))).toBe('missing');
    expect(parseRefer(refer('Refer-To: <tel:+15551234>'))).toBe('not-sip');
  });
});
