import { randomBytes } from 'node:crypto';

/** The RFC 3261 §8.1.1.7 magic cookie every branch starts with. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

/** Lower-case hex of `bytes` crypto-random bytes. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A crypto-random Via branch: `z9hG4bK` + 16 hex digits (64 random bits). */
export function generateBranch(): string {
  return `${BRANCH_MAGIC_COOKIE}${randomHex(8)}`;
}

/** A tag in chan_sip's shape: `as` + 8 hex digits (chan_sip: make_our_tag()). */
export function generateTag(): string {
  return `as${randomHex(4)}`;
}

/** A Call-ID in chan_sip's shape: 32 hex digits `@` host (chan_sip: build_callid_pvt()). */
export function generateCallId(host: string): string {
  return `${randomHex(16)}@${host}`;
}
