import type { BaseChannel } from '../channels/base-channel.js';
import { LocalChannel } from '../channels/local-channel.js';
import { SipChannel } from './sip-channel.js';

/**
 * The SIP leg at the far end of a channel's bridge: the bridged channel itself, or — through
 * Local channel pairs — whatever is bridged with the other half (Asterisk passes the DTMF frame
 * through both Local halves).
 */
export function bridgedSipLeg(channel: BaseChannel, depth = 0): SipChannel | undefined {
  const other = channel.bridgedWith;
  if (other === undefined || other.isHungUp || depth > 8) return undefined;
  if (other instanceof SipChannel) return other;
  if (other instanceof LocalChannel) return bridgedSipLeg(other.partner, depth + 1);
  return undefined;
}

/**
 * Passes a digit received in signalling (SIP INFO) to the other leg of the bridge, which sends
 * it per its own dtmfmode (chan_sip (Asterisk 20): the DTMF frame crosses the bridge and
 * reaches sip_senddigit_end() of the other channel: RFC 4733 events, inband tones, or an INFO).
 * False when the channel is not bridged with a SIP leg: the digit is the channel's own.
 */
export function relayDigit(channel: SipChannel, digit: string, durationMs: number): boolean {
  const leg = bridgedSipLeg(channel);
  if (leg === undefined) return false;
  leg.signalling.sendDigit(digit, durationMs).catch((error: unknown) => {
    leg.logger.warn({ err: error, channel: leg.name }, `cannot send DTMF ${digit} on ${leg.name}`);
  });
  return true;
}
