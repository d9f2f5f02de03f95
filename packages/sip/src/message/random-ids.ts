import { randomFillSync } from 'node:crypto';

/** The RFC 3261 §8.1.1.7 magic cookie every branch starts with. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

/**
 * Crypto-random bytes are drawn from a pool filled 4 KiB at a time: one randomBytes() call per
 * id cost a syscall-sized native round trip each, several per call (tags, branches, Call-IDs).
 * Every byte is handed out once.
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/** Lower-case hex of `bytes` crypto-random bytes. */
export function randomHex(bytes: number): string {
  if (bytes > pool.length) return randomFillSync(Buffer.alloc(bytes)).toString('hex');
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += bytes;
  return pool.toString('hex', start, poolOffset);
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
