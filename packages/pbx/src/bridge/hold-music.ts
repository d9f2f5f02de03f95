import type { BaseChannel } from '../channels/base-channel.js';

/** Channels hearing music because the party bridged with them holds. */
const hearingHoldMusic = new WeakSet<BaseChannel>();

/**
 * A party's hold changed (chan_sip queues AST_CONTROL_HOLD with its `mohsuggest`, UNHOLD on
 * resume): the channel bridged with it hears music on hold meanwhile (chan_sip sip_indicate()
 * starts it with its own `mohinterpret` as the fallback class).
 */
export function holdChanged(holder: BaseChannel, held: boolean, suggestedClass: string): void {
  const other = holder.bridgedWith;
  if (other === undefined) return;
  if (!held) {
    endHoldMusic(other);
    return;
  }
  if (other.media.startMusicOnHold === undefined) return;
  other.media.startMusicOnHold(suggestedClass);
  hearingHoldMusic.add(other);
}

/** The holder left the bridge or the bridge ended: music started by a hold stops (Asterisk unholds on leaving). */
export function endHoldMusic(channel: BaseChannel): void {
  if (!hearingHoldMusic.delete(channel)) return;
  channel.media.stopMusicOnHold?.();
}
