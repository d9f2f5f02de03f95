import { SipError } from '../sip-error.js';

/**
 * RFC 3261 §17 timer values in ms (Table 4), plus RFC 6026's L and M. Waits that only apply to
 * unreliable transports (D, I, J, K) and retransmissions (A, E, G) are skipped by the
 * transactions themselves when the transport is reliable.
 */
export interface TransactionTimers {
  /** RTT estimate (chan_sip `timert1`, per peer). */
  readonly t1: number;
  /** Cap of non-INVITE request and response retransmission intervals. */
  readonly t2: number;
  /** Longest time a message stays in the network. */
  readonly t4: number;
  /** INVITE client: give up without a response (chan_sip `timerb`, per peer). */
  readonly timerB: number;
  /** INVITE client: wait for response retransmissions after a non-2xx (unreliable only). */
  readonly timerD: number;
  /** Non-INVITE client: give up. */
  readonly timerF: number;
  /** INVITE server: wait for the ACK of a non-2xx. */
  readonly timerH: number;
  /** INVITE server: absorb ACK retransmissions after Confirmed (unreliable only). */
  readonly timerI: number;
  /** Non-INVITE server: absorb request retransmissions after Completed (unreliable only). */
  readonly timerJ: number;
  /** Non-INVITE client: absorb response retransmissions after Completed (unreliable only). */
  readonly timerK: number;
  /** INVITE server (RFC 6026): stay Accepted after a 2xx; also how long to wait for its ACK. */
  readonly timerL: number;
  /** INVITE client (RFC 6026): stay Accepted to pass on 2xx retransmissions and forks. */
  readonly timerM: number;
}

/** RFC 3261 defaults and chan_sip's (`timert1` 500 ms). */
export const DEFAULT_T1 = 500;

/**
 * Derives every timer from T1 (RFC 3261 Table 4): B = F = H = J = L = M = 64·T1, D = max(32 s, 64·T1),
 * I = K = T4, with T2 = 4 s and T4 = 5 s. `timerB` overrides B only, as chan_sip's per-peer
 * `timerb` does.
 * @throws {@link SipError} `invalid-argument` for a non-positive T1 or Timer B.
 */
export function timersFromT1(t1: number = DEFAULT_T1, timerB?: number, options: { t2?: number; t4?: number } = {}): TransactionTimers {
  if (!(t1 > 0) || (timerB !== undefined && !(timerB > 0))) {
    throw new SipError('invalid-argument', `Timers need a positive T1 and Timer B (got T1=${t1}, B=${String(timerB)})`);
  }
  const t2 = options.t2 ?? 4000;
  const t4 = options.t4 ?? 5000;
  const sixtyFour = 64 * t1;
  return {
    t1,
    t2,
    t4,
    timerB: timerB ?? sixtyFour,
    timerD: Math.max(32_000, sixtyFour),
    timerF: sixtyFour,
    timerH: sixtyFour,
    timerI: t4,
    timerJ: sixtyFour,
    timerK: t4,
    timerL: sixtyFour,
    timerM: sixtyFour,
  };
}
