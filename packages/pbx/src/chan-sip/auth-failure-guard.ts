import type { TandemConf } from '@tandem/config';
import type { Logger } from '@tandem/registrar';

/** tandem.conf `[security]`: how many failures in which window block an address, and for how long. */
export type AuthFailurePolicy = TandemConf['security'];

/** One blocked source address (`sip show blocked`). */
export interface BlockedAddress {
  readonly address: string;
  /** Failed authentications that led to the block. */
  readonly failures: number;
  /** Epoch ms the block started and ends. */
  readonly since: number;
  readonly until: number;
}

/** Tracking of one source address. */
interface AddressRecord {
  /** Epoch ms of the failures inside the window, oldest first. */
  failures: number[];
  blockedUntil: number;
  blockedSince: number;
  blockedFailures: number;
}

/**
 * Brute-force protection beyond Asterisk (tandem.conf `[security]`): failed authentications
 * are counted per source address over `authfailurewindow` seconds; at `authfailurelimit`
 * failures the address is blocked for `blockseconds` and its requests are dropped unanswered.
 * A limit of 0 (the default) never blocks, as Asterisk. chan_sip's NOTICE lines are logged
 * by the callers either way, so fail2ban keeps working.
 */
export class AuthFailureGuard {
  #policy: AuthFailurePolicy;
  readonly #addresses = new Map<string, AddressRecord>();
  readonly #logger: Logger;
  readonly #now: () => number;
  #lastSweep = 0;

  constructor(policy: AuthFailurePolicy, logger: Logger, now: () => number = Date.now) {
    this.#policy = policy;
    this.#logger = logger;
    this.#now = now;
  }

  /** The policy in force. */
  get policy(): AuthFailurePolicy {
    return this.#policy;
  }

  /** Applies a reloaded tandem.conf; blocks in force keep their end time, a limit of 0 lifts them. */
  reconfigure(policy: AuthFailurePolicy): void {
    this.#policy = policy;
    if (policy.authFailureLimit === 0) this.#addresses.clear();
  }

  /** Whether requests from `address` are dropped now. */
  isBlocked(address: string): boolean {
    const record = this.#addresses.get(address);
    return record !== undefined && record.blockedUntil > this.#now();
  }

  /**
   * Counts a failed authentication from `address`; returns true when this failure blocked it.
   */
  recordFailure(address: string): boolean {
    const { authFailureLimit: limit, authFailureWindowSeconds, blockSeconds } = this.#policy;
    if (limit === 0) return false;
    const now = this.#now();
    this.#sweep(now);
    let record = this.#addresses.get(address);
    if (record === undefined) {
      record = { failures: [], blockedUntil: 0, blockedSince: 0, blockedFailures: 0 };
      this.#addresses.set(address, record);
    }
    if (record.blockedUntil > now) return false;
    const windowStart = now - authFailureWindowSeconds * 1000;
    record.failures = record.failures.filter((time) => time > windowStart);
    record.failures.push(now);
    if (record.failures.length < limit) return false;
    record.blockedSince = now;
    record.blockedUntil = now + blockSeconds * 1000;
    record.blockedFailures = record.failures.length;
    record.failures = [];
    this.#logger.warn(
      { asteriskLevel: 'WARNING' },
      `Blocking ${address} for ${blockSeconds} s after ${record.blockedFailures} failed authentications in ${authFailureWindowSeconds} s`,
    );
    return true;
  }

  /** Lifts the block of `address`; false when it was not blocked. */
  unblock(address: string): boolean {
    const blocked = this.isBlocked(address);
    this.#addresses.delete(address);
    return blocked;
  }

  /** Addresses blocked now, in the order they were blocked. */
  blocked(): BlockedAddress[] {
    const now = this.#now();
    const list: BlockedAddress[] = [];
    for (const [address, record] of this.#addresses) {
      if (record.blockedUntil > now) list.push({ address, failures: record.blockedFailures, since: record.blockedSince, until: record.blockedUntil });
    }
    return list.sort((a, b) => a.since - b.since);
  }

  /** Addresses tracked (failures in the window or blocked), for memory accounting. */
  get trackedCount(): number {
    return this.#addresses.size;
  }

  // Forgets addresses whose block ended and whose failures left the window, at most once a second.
  #sweep(now: number): void {
    if (now - this.#lastSweep < 1000) return;
    this.#lastSweep = now;
    const windowStart = now - this.#policy.authFailureWindowSeconds * 1000;
    for (const [address, record] of this.#addresses) {
      const lastFailure = record.failures[record.failures.length - 1] ?? 0;
      if (record.blockedUntil <= now && lastFailure <= windowStart) this.#addresses.delete(address);
    }
  }
}
