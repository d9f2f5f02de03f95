import type { MediaEndpoint } from '@tandem/media';
import type { BaseChannel } from '../channels/base-channel.js';
import { LocalChannel } from '../channels/local-channel.js';
import { SipChannel } from '../chan-sip/sip-channel.js';

/**
 * The RTP endpoint that carries a channel's audio: a SIP channel's own, or — through a Local
 * channel pair — the endpoint of whatever is bridged to the other half (Asterisk would pass
 * frames through both Local halves; Tandem connects the real endpoints directly).
 */
export function mediaEndpointOf(channel: BaseChannel | undefined, depth = 0): MediaEndpoint | undefined {
  if (channel === undefined || depth > 8) return undefined;
  if (channel instanceof SipChannel) return channel.isHungUp ? undefined : channel.session.endpoint;
  if (channel instanceof LocalChannel) return mediaEndpointOf(channel.mediaPeer, depth + 1);
  return undefined;
}
