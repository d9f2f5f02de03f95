import { describe, expect, it } from 'vitest';
import { OutgoingRefer, referTarget, sipfragOutcome } from '../src/chan-sip/outgoing-refer.js';

describe('Transfer() REFER (chan_sip transmit_refer(), handle_response_refer(), refer NOTIFY)', () => {
  it('builds Refer-To from the destination and the host of the party URI', () => {
    expect(referTarget('500', '"Alice" <sip:alice@192.0.2.10:5062;transport=udp>;tag=1')).toBe('<sip:500@192.0.2.10:5062;transport=udp>');
    expect(referTarget('500', '<sips:alice@example.com>;tag=x')).toBe('<sips:500@example.com>');
    expect(referTarget('bob@example.org', '<sip:alice@192.0.2.10>')).toBe('<sip:bob@example.org>');
    expect(referTarget('500', '<sip:192.0.2.10>')).toBe('<sip:500>');
    expect(referTarget('500', 'sip:alice@host;tag=1')).toBe('<sip:500@host>');
  });

  it('reads the sipfrag status line as chan_sip does', () => {
    expect(sipfragOutcome('SIP/2.0 200 OK\r\n')).toBe('success');
    expect(sipfragOutcome('SIP/2.0 100 Trying')).toBe('pending');
    expect(sipfragOutcome('SIP/2.0 180 Ringing')).toBe('pending');
    expect(sipfragOutcome('SIP/2.0 302 Moved Temporarily')).toBe('failure');
    expect(sipfragOutcome('SIP/2.0 603 Declined')).toBe('failure');
    expect(sipfragOutcome('SIP/2.0 486 Busy Here')).toBe('failure');
    expect(sipfragOutcome('garbage')).toBe('failure');
  });

  it('waits through 202 and provisional NOTIFYs, then settles once', async () => {
    const refer = new OutgoingRefer('<sip:500@host>');
    refer.onResponse(202);
    refer.onNotify('SIP/2.0 100 Trying');
    expect(refer.settled).toBe(false);
    refer.onNotify('SIP/2.0 200 OK');
    refer.onNotify('SIP/2.0 603 Declined');
    refer.abandon();
    expect(await refer.result).toEqual({ status: 'SUCCESS', protocolStatus: '0' });
  });

  it('fails with AST_TRANSFER_FAILED on a refused REFER, and with 0 when the call ends first', async () => {
    const refused = new OutgoingRefer('<sip:500@host>');
    refused.onResponse(405);
    expect(await refused.result).toEqual({ status: 'FAILURE', protocolStatus: '1' });
    const abandoned = new OutgoingRefer('<sip:500@host>');
    abandoned.abandon();
    expect(await abandoned.result).toEqual({ status: 'FAILURE', protocolStatus: '0' });
  });
});
