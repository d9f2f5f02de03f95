/**
 * Channel names and unique ids as Asterisk makes them.
 */

let sequence = 0;
let uniqueSequence = 0;

/**
 * The next value of the process-wide channel counter, as 8 lowercase hex digits
 * (chan_sip (Asterisk 20): `ast_channel_alloc(... "SIP/%s-%08x", ..., ast_atomic_fetchadd_int(&chan_idx, +1))`;
 * the counter is shared by inbound and outbound channels and starts at 00000000).
 */
export function nextChannelSuffix(): string {
  const value = sequence;
  sequence = (sequence + 1) >>> 0;
  return value.toString(16).padStart(8, '0');
}

/** `<epoch seconds>.<sequence>` (Asterisk: ast_channel_alloc's uniqueid). */
export function nextUniqueId(now: Date = new Date()): string {
  const id = `${Math.floor(now.getTime() / 1000)}.${uniqueSequence}`;
  uniqueSequence += 1;
  return id;
}
