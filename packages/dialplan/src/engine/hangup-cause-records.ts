/**
 * Per-channel hangup cause records of the legs it dialled (Asterisk 20, main/channel.c
 * `ast_channel_hangupcause_hash_set()`): HANGUPCAUSE() and HANGUPCAUSE_KEYS() read them.
 */
import type { DialplanChannel } from '../channel.js';

/** One dialled leg's cause. */
export interface HangupCauseRecord {
  readonly cause: number;
  /** The technology's text (`SIP 486 Busy Here`), empty when the host gave none. */
  readonly technologyCause: string;
}

const records = new WeakMap<DialplanChannel, Map<string, HangupCauseRecord>>();

/** The records of legs dialled by `channel`, keyed by leg channel name. */
export function hangupCauseRecords(channel: DialplanChannel): Map<string, HangupCauseRecord> {
  let map = records.get(channel);
  if (!map) {
    map = new Map();
    records.set(channel, map);
  }
  return map;
}
