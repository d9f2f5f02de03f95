import type { BaseChannel } from '../channels/base-channel.js';

/** Channels hearing music because the party bridged with them holds. */
const hearingHoldMusic = new WeakSet<BaseChannel>();

/**
 * A party holds (chan_sip queues AST_CONTROL_HOLD with its `mohsuggest`): the channel bridged
 * with it hears music on hold (chan_sip sip_indicate() starts it with its own `mohinterpret` as
 * the fallback class) until the party resumes.
 */
export function holdStarted(holder: BaseChannel, suggestedClass: string): void {
  const other = holder.bridgedWith;
  if (other?.media.startMusicOnHold === undefined) return;
  other.media.startMusicOnHold(suggestedClass);
  hearingHoldMusic.add(other);
}

/** The party resumed (AST_CONTROL_UNHOLD): the music its hold started stops. */
export function holdEnded(holder: BaseChannel): void {
  if (holder.bridgedWith !== undefined) endHoldMusic(holder.bridgedWith);
}

/** The holder left the bridge or the bridge ended: music started by a hold stops (Asterisk unholds on leaving). */
export function endHoldMusic(channel: BaseChannel): void {
  if (!hearingHoldMusic.delete(channel)) return;
  channel.media.stopMusicOnHold?.();
}
