import { describe, expect, it } from 'vitest';
import { causeFromSipStatus, classifyFailure, sipStatusFromCause } from '../src/chan-sip/causes.js';

describe('chan_sip cause mappings (reference §5.5-5.6)', () => {
  it('maps SIP responses to Q.850 causes', () => {
    const table: [number, number][] = [
      [401, 21], [403, 21], [404, 1], [408, 18], [410, 22], [480, 19], [484, 28], [486, 17],
      [488, 58], [500, 38], [501, 29], [502, 27], [503, 34], [504, 102], [505, 127], [481, 127],
      [599, 34], [600, 17], [603, 21], [604, 1], [606, 58], [699, 127], [302, 16],
    ];
    for (const [status, cause] of table) expect([status, causeFromSipStatus(status)]).toEqual([status, cause]);
  });

  it('maps hangup causes to the final response of an unanswered call', () => {
    expect(sipStatusFromCause(1)).toEqual({ status: 404, reason: 'Not Found' });
    expect(sipStatusFromCause(17).status).toBe(486);
    expect(sipStatusFromCause(34).status).toBe(503);
    expect(sipStatusFromCause(21).status).toBe(403);
    expect(sipStatusFromCause(16)).toEqual({ status: 603, reason: 'Declined' });
    expect(sipStatusFromCause(0).status).toBe(603);
  });

  it('classifies failed outgoing INVITEs for DIALSTATUS', () => {
    expect(classifyFailure(486)).toBe('busy');
    expect(classifyFailure(480)).toBe('busy');
    expect(classifyFailure(503)).toBe('congestion');
    expect(classifyFailure(580)).toBe('congestion');
    expect(classifyFailure(501)).toBe('unavailable');
    expect(classifyFailure(404)).toBe('unavailable');
    expect(classifyFailure(487)).toBe('cancelled');
  });
});
