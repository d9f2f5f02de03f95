import { parseMessage, type SipRequest } from '@tandem/sip';
import { describe, expect, it } from 'vitest';
import { dtmfFromInfo, infoDtmfBody, isDtmfInfo } from '../src/chan-sip/dtmf-info.js';

function info(type: string, body: string): SipRequest {
  const text = [
    'INFO sip:b@127.0.0.1 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1',
    'From: <sip:a@127.0.0.1>;tag=a1',
    'To: <sip:b@127.0.0.1>;tag=b1',
    'Call-ID: c1',
    'CSeq: 2 INFO',
    `Content-Type: ${type}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
  const outcome = parseMessage(Buffer.from(text));
  if (outcome.kind !== 'message' || outcome.message.kind !== 'request') throw new Error('unparsable test INFO');
  return outcome.message;
}

describe('DTMF in SIP INFO (chan_sip handle_request_info)', () => {
  it('reads application/dtmf-relay with Signal and Duration', () => {
    expect(dtmfFromInfo(info('application/dtmf-relay', 'Signal=5\r\nDuration=250\r\n'))).toEqual({ digit: '5', durationMs: 250 });
    expect(dtmfFromInfo(info('application/dtmf-relay', 'Signal= *\r\n'))).toEqual({ digit: '*', durationMs: 100 });
    expect(dtmfFromInfo(info('application/dtmf-relay', 'Signal=11\r\nDuration=160\r\n'))).toEqual({ digit: '#', durationMs: 160 });
    expect(dtmfFromInfo(info('application/dtmf-relay', 'Signal=b\r\n'))).toEqual({ digit: 'B', durationMs: 100 });
  });

  it('reads the Nortel form with d= and application/dtmf bodies', () => {
    expect(dtmfFromInfo(info('application/vnd.nortelnetworks.digits', 'd=7\r\n'))).toEqual({ digit: '7', durationMs: 100 });
    expect(dtmfFromInfo(info('application/dtmf', '10\r\n'))).toEqual({ digit: '*', durationMs: 100 });
    expect(dtmfFromInfo(info('application/dtmf', '#'))).toEqual({ digit: '#', durationMs: 100 });
  });

  it('turns event 16 and ! into a flash, and ignores what it cannot read', () => {
    expect(dtmfFromInfo(info('application/dtmf-relay', 'Signal=16\r\n'))).toEqual({ flash: true });
    expect(dtmfFromInfo(info('application/dtmf', '!'))).toEqual({ flash: true });
    expect(dtmfFromInfo(info('application/dtmf-relay', 'Signal=17\r\n'))).toBeUndefined();
    expect(dtmfFromInfo(info('application/dtmf-relay', 'Signal = 5\r\n'))).toBeUndefined();
    expect(dtmfFromInfo(info('application/dtmf-relay', 'Duration=100\r\n'))).toBeUndefined();
    expect(isDtmfInfo(info('text/plain', 'Signal=5'))).toBe(false);
  });

  it('writes the bodies chan_sip sends (add_digit)', () => {
    expect(infoDtmfBody('5', 250, false)).toEqual({ type: 'application/dtmf-relay', body: 'Signal=5\r\nDuration=250\r\n' });
    expect(infoDtmfBody('*', 100, true)).toEqual({ type: 'application/dtmf', body: '10\r\n' });
    expect(infoDtmfBody('#', 100, true)).toEqual({ type: 'application/dtmf', body: '11\r\n' });
    expect(infoDtmfBody('C', 100, true)).toEqual({ type: 'application/dtmf', body: '14\r\n' });
    expect(infoDtmfBody('3', 100, true)).toEqual({ type: 'application/dtmf', body: '3\r\n' });
  });
});
