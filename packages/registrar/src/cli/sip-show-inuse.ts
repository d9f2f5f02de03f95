import type { PeerDirectory } from '../peers/peer-directory.js';
import { column } from './printf-columns.js';

/** One `%-25.25s %-15.15s %-15.15s \n` line of chan_sip sip_show_inuse(). */
function line(name: string, used: string, limit: string): string {
  return `${column(name, 25, 25)} ${column(used, 15, 15)} ${column(limit, 15, 15)} \n`;
}

/**
 * `sip show inuse [all]` (chan_sip sip_show_inuse()): each peer's in-use/ringing/on-hold
 * counts and its call-limit; without `all` only peers that have a call-limit.
 */
export function renderSipShowInuse(directory: PeerDirectory, all: boolean): string {
  let text = line('* Peer name', 'In use', 'Limit');
  for (const peer of directory.sorted()) {
    const limit = peer.settings.callLimit;
    if (!all && limit <= 0) continue;
    text += line(peer.name, `${peer.inUse}/${peer.ringing}/${peer.onHold}`, limit > 0 ? String(limit) : 'N/A');
  }
  return text;
}
