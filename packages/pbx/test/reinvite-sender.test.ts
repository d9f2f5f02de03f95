import { EventEmitter } from 'node:events';
import type { ClientTransaction, ServerTransaction, SipResponse } from '@tandem/sip';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReinviteSender, type ReinviteHost, type ReinviteReason } from '../src/chan-sip/reinvite-sender.js';

/** A client transaction the test answers by hand. */
class FakeTransaction extends EventEmitter {
  constructor(readonly request = { method: 'INVITE' }) {
    super();
  }

  answer(status: number): SipResponse {
    const response = { status } as SipResponse;
    this.emit('response', response);
    return response;
  }
}

type FakeHost = ReinviteHost & { sent: FakeTransaction[]; acked: number[]; settledWith: number[]; up: boolean; reasons: ReinviteReason[] };

function fakeHost(overrides: Partial<ReinviteHost> = {}): FakeHost {
  const host: FakeHost = {
    sent: [] as FakeTransaction[],
    acked: [] as number[],
    settledWith: [] as number[],
    up: true,
    get canSend(): boolean {
      return host.up;
    },
    ownsCallId: false,
    reasons: [],
    transmit: (reason) => {
      host.reasons.push(reason);
      const transaction = new FakeTransaction();
      host.sent.push(transaction);
      return transaction as unknown as ClientTransaction;
    },
    acknowledge: (response: SipResponse) => host.acked.push(response.status),
    settled: (response: SipResponse) => host.settledWith.push(response.status),
    ...overrides,
  };
  return host;
}

describe('re-INVITEs of one call leg (chan_sip check_pendings)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends one at a time and merges requests made meanwhile', async () => {
    const host = fakeHost();
    const sender = new ReinviteSender(host);
    const first = sender.request();
    expect(host.sent).toHaveLength(1);
    expect(sender.awaitingAnswer).toBe(true);
    const second = sender.request();
    const third = sender.request();
    expect(host.sent).toHaveLength(1);
    host.sent[0]?.answer(200);
    expect((await first)?.status).toBe(200);
    expect(host.acked).toEqual([200]);
    expect(host.sent).toHaveLength(2);
    host.sent[1]?.answer(488);
    expect((await second)?.status).toBe(488);
    expect((await third)?.status).toBe(488);
    expect(host.settledWith).toEqual([200, 488]);
    expect(host.sent).toHaveLength(2);
  });

  it('ignores provisional answers and acknowledges each 2xx retransmission', () => {
    const host = fakeHost();
    const sender = new ReinviteSender(host);
    void sender.request();
    host.sent[0]?.answer(100);
    expect(sender.awaitingAnswer).toBe(true);
    host.sent[0]?.answer(200);
    host.sent[0]?.answer(200);
    expect(host.acked).toEqual([200, 200]);
    expect(host.settledWith).toEqual([200]);
  });

  it('retries after 491 within 0-2 s when the party owns the Call-ID', async () => {
    const host = fakeHost();
    const sender = new ReinviteSender(host, { random: () => 0.5 });
    const outcome = sender.request();
    host.sent[0]?.answer(491);
    expect(sender.backingOff).toBe(true);
    expect(host.settledWith).toEqual([]);
    vi.advanceTimersByTime(999);
    expect(host.sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(host.sent).toHaveLength(2);
    host.sent[1]?.answer(200);
    expect((await outcome)?.status).toBe(200);
  });

  it('waits 2.1-4 s after 491 when we own the Call-ID', () => {
    const host = fakeHost({ ownsCallId: true });
    const sender = new ReinviteSender(host, { random: () => 0 });
    void sender.request();
    host.sent[0]?.answer(491);
    vi.advanceTimersByTime(2099);
    expect(host.sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(host.sent).toHaveLength(2);
  });

  it('sends nothing after the call ended, even when a 491 retry was due (ASTERISK-22791)', async () => {
    const host = fakeHost();
    const sender = new ReinviteSender(host, { random: () => 0.9 });
    const outcome = sender.request();
    host.sent[0]?.answer(491);
    sender.stop();
    expect(await outcome).toBeUndefined();
    vi.advanceTimersByTime(10_000);
    expect(host.sent).toHaveLength(1);
    expect(await sender.request()).toBeUndefined();
    expect(host.sent).toHaveLength(1);
  });

  it('waits for the party to acknowledge its own INVITE, and for the call to be up', () => {
    const host = fakeHost();
    host.up = false;
    const sender = new ReinviteSender(host);
    void sender.request();
    expect(host.sent).toHaveLength(0);
    host.up = true;
    const incoming = new EventEmitter();
    sender.trackIncoming(incoming as unknown as ServerTransaction);
    sender.checkPendings();
    expect(host.sent).toHaveLength(0);
    incoming.emit('ack');
    expect(host.sent).toHaveLength(1);
  });

  it('settles with the synthetic answer of a transaction that failed', async () => {
    const host = fakeHost();
    const sender = new ReinviteSender(host);
    const outcome = sender.request();
    host.sent[0]?.emit('failure', { reason: 'timeout', response: { status: 408 } });
    expect((await outcome)?.status).toBe(408);
    expect(host.settledWith).toEqual([408]);
    expect(sender.awaitingAnswer).toBe(false);
  });

  it('holds the BYE of an ended call until our re-INVITE is answered, or 32*T1 (SIP_PENDINGBYE)', () => {
    const host = fakeHost();
    const sender = new ReinviteSender(host);
    const bye = vi.fn();
    expect(sender.deferUntilAnswered(bye, 16_000)).toBe(false);
    void sender.request();
    expect(sender.deferUntilAnswered(bye, 16_000)).toBe(true);
    sender.stop();
    expect(bye).not.toHaveBeenCalled();
    host.sent[0]?.answer(200);
    expect(bye).toHaveBeenCalledTimes(1);
    expect(host.acked).toEqual([200]);

    const silent = fakeHost();
    const other = new ReinviteSender(silent);
    const byeAfterTimeout = vi.fn();
    void other.request();
    other.deferUntilAnswered(byeAfterTimeout, 16_000);
    vi.advanceTimersByTime(16_000);
    expect(byeAfterTimeout).toHaveBeenCalledTimes(1);
  });

  it('tells the leg why it re-INVITEs: a media change wins over a refresh', () => {
    const host = fakeHost();
    const sender = new ReinviteSender(host);
    void sender.request('session-refresh');
    void sender.request('session-refresh');
    void sender.request('media');
    host.sent[0]?.answer(200);
    void sender.request('media');
    void sender.request('session-refresh');
    host.sent[1]?.answer(200);
    expect(host.reasons).toEqual(['session-refresh', 'media', 'media']);
  });

  it('does not acknowledge an UPDATE and does not retry it after 491', () => {
    const host = fakeHost({
      transmit: () => {
        const transaction = new FakeTransaction({ method: 'UPDATE' });
        host.sent.push(transaction);
        return transaction as unknown as ClientTransaction;
      },
    });
    const sender = new ReinviteSender(host);
    void sender.request();
    host.sent[0]?.answer(200);
    expect(host.acked).toEqual([]);
    void sender.request();
    host.sent[1]?.answer(491);
    expect(sender.backingOff).toBe(false);
    expect(host.settledWith).toEqual([200, 491]);
  });
});
