import { describe, expect, it } from 'vitest';
import { AuthFailureGuard } from '../src/chan-sip/auth-failure-guard.js';
import { CapturingLogger } from './support/sip-fixtures.js';

function guard(limit: number, windowSeconds = 60, blockSeconds = 600): { guard: AuthFailureGuard; clock: { now: number }; logger: CapturingLogger } {
  const clock = { now: 1_000_000 };
  const logger = new CapturingLogger();
  return {
    guard: new AuthFailureGuard({ authFailureLimit: limit, authFailureWindowSeconds: windowSeconds, blockSeconds }, logger, () => clock.now),
    clock,
    logger,
  };
}

describe('brute-force blocking (tandem.conf [security])', () => {
  it('never blocks with the default limit of 0, as Asterisk', () => {
    const { guard: subject } = guard(0);
    for (let i = 0; i < 1000; i++) expect(subject.recordFailure('192.0.2.1')).toBe(false);
    expect(subject.isBlocked('192.0.2.1')).toBe(false);
    expect(subject.trackedCount).toBe(0);
  });

  it('blocks an address at the limit inside the window, for blockseconds', () => {
    const { guard: subject, clock, logger } = guard(3, 60, 600);
    expect(subject.recordFailure('192.0.2.1')).toBe(false);
    clock.now += 10_000;
    expect(subject.recordFailure('192.0.2.1')).toBe(false);
    expect(subject.recordFailure('192.0.2.2')).toBe(false);
    clock.now += 10_000;
    expect(subject.recordFailure('192.0.2.1')).toBe(true);
    expect(subject.isBlocked('192.0.2.1')).toBe(true);
    expect(subject.isBlocked('192.0.2.2')).toBe(false);
    expect(subject.blocked()).toEqual([{ address: '192.0.2.1', failures: 3, since: clock.now, until: clock.now + 600_000 }]);
    expect(logger.asterisk('WARNING')).toEqual(['Blocking 192.0.2.1 for 600 s after 3 failed authentications in 60 s']);
    clock.now += 599_999;
    expect(subject.isBlocked('192.0.2.1')).toBe(true);
    clock.now += 1;
    expect(subject.isBlocked('192.0.2.1')).toBe(false);
    expect(subject.blocked()).toEqual([]);
  });

  it('forgets failures that left the window', () => {
    const { guard: subject, clock } = guard(3, 60);
    subject.recordFailure('192.0.2.1');
    subject.recordFailure('192.0.2.1');
    clock.now += 61_000;
    expect(subject.recordFailure('192.0.2.1')).toBe(false);
    expect(subject.isBlocked('192.0.2.1')).toBe(false);
    clock.now += 120_000;
    subject.recordFailure('192.0.2.9');
    expect(subject.trackedCount).toBe(1);
  });

  it('lifts a block on unblock and when reconfigured with limit 0', () => {
    const { guard: subject } = guard(1);
    subject.recordFailure('2001:db8::1');
    expect(subject.unblock('2001:db8::1')).toBe(true);
    expect(subject.unblock('2001:db8::1')).toBe(false);
    subject.recordFailure('2001:db8::1');
    subject.reconfigure({ authFailureLimit: 0, authFailureWindowSeconds: 60, blockSeconds: 600 });
    expect(subject.isBlocked('2001:db8::1')).toBe(false);
  });
});
