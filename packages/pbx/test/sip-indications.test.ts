import { describe, expect, it } from 'vitest';
import { planIndication, type IndicationContext } from '../src/chan-sip/sip-indications.js';

const ringingCall: IndicationContext = {
  answered: false,
  outbound: false,
  progressSent: false,
  ringingSent: false,
  progressInband: 'no',
  allowOverlap: 'yes',
};

describe('indications on a SIP channel (chan_sip sip_indicate(), core tone fallback)', () => {
  it('answers 180, 183 with SDP and 100 before the answer', () => {
    expect(planIndication('ringing', ringingCall)).toEqual({ response: { status: 180, reason: 'Ringing', sdp: false } });
    expect(planIndication('progress', ringingCall)).toEqual({ response: { status: 183, reason: 'Session Progress', sdp: true } });
    expect(planIndication('proceeding', ringingCall)).toEqual({ response: { status: 100, reason: 'Trying', sdp: false } });
  });

  it('ends an unanswered call with 486 / 503 for busy / congestion', () => {
    expect(planIndication('busy', ringingCall)).toEqual({ response: { status: 486, reason: 'Busy Here', sdp: false }, hangUp: true });
    expect(planIndication('congestion', ringingCall)).toEqual({ response: { status: 503, reason: 'Service Unavailable', sdp: false }, hangUp: true });
  });

  it('plays tones once answered: busy, congestion and ringing cannot be signalled any more', () => {
    const answered = { ...ringingCall, answered: true };
    expect(planIndication('busy', answered)).toEqual({ tone: 'busy' });
    expect(planIndication('congestion', answered)).toEqual({ tone: 'congestion' });
    expect(planIndication('ringing', answered)).toEqual({ tone: 'ring' });
    expect(planIndication('progress', answered)).toEqual({});
  });

  it('after a 183, ringing is played in the audio; progressinband=never sends 180 instead of 183', () => {
    expect(planIndication('ringing', { ...ringingCall, progressSent: true })).toEqual({ tone: 'ring' });
    expect(planIndication('progress', { ...ringingCall, progressSent: true })).toEqual({});
    const never = { ...ringingCall, progressInband: 'never' as const };
    expect(planIndication('progress', never)).toEqual({ response: { status: 180, reason: 'Ringing', sdp: false } });
    expect(planIndication('progress', { ...never, ringingSent: true })).toEqual({});
    expect(planIndication('ringing', { ...ringingCall, progressInband: 'yes' })).toEqual({ response: { status: 180, reason: 'Ringing', sdp: false }, tone: 'ring' });
  });

  it('incomplete: 484 with allowoverlap=yes, 404 with no, nothing with dtmf', () => {
    expect(planIndication('incomplete', ringingCall)).toEqual({ response: { status: 484, reason: 'Address Incomplete', sdp: false }, hangUp: true });
    expect(planIndication('incomplete', { ...ringingCall, allowOverlap: 'no' })).toEqual({ response: { status: 404, reason: 'Not Found', sdp: false }, hangUp: true });
    expect(planIndication('incomplete', { ...ringingCall, allowOverlap: 'dtmf' })).toEqual({});
  });

  it('sends nothing on an outbound leg that is not answered', () => {
    const outbound = { ...ringingCall, outbound: true };
    for (const indication of ['ringing', 'progress', 'proceeding', 'busy', 'congestion', 'incomplete'] as const) {
      expect(planIndication(indication, outbound)).toEqual({});
    }
  });
});
