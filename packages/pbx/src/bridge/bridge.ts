import { randomUUID } from 'node:crypto';
import type { BridgeEnd, BridgeOptions } from '@tandem/dialplan';
import type { MediaEndpoint } from '@tandem/media';
import type { BaseChannel } from '../channels/base-channel.js';
import { SipChannel } from '../chan-sip/sip-channel.js';
import { DirectMediaBridge } from './direct-media.js';
import { mediaEndpointOf } from './media-route.js';
import { endHoldMusic } from './hold-music.js';
import { endT38 } from './t38-passthrough.js';

/** Connects the audio of two channels in the native relay (both ways). */
export function connectMedia(a: BaseChannel, b: BaseChannel): void {
  const left = mediaEndpointOf(a);
  const right = mediaEndpointOf(b);
  if (left === undefined || right === undefined || left === right) return;
  try {
    left.connect(right);
  } catch {
    // One side was released meanwhile: nothing to relay.
  }
  // Video and text go stream to stream between two SIP legs (Asterisk bridges each media type).
  for (const [from, to] of extraEndpointPairs(a, b)) {
    try {
      from.connect(to);
    } catch {
      // Released meanwhile.
    }
  }
}

/** The video and text endpoints both SIP channels negotiated, paired by media type. */
function extraEndpointPairs(a: BaseChannel, b: BaseChannel): [MediaEndpoint, MediaEndpoint][] {
  if (!(a instanceof SipChannel) || !(b instanceof SipChannel)) return [];
  return (['video', 'text'] as const).flatMap((type) => {
    const left = a.session.extraStream(type)?.endpoint;
    const right = b.session.extraStream(type)?.endpoint;
    return left === undefined || right === undefined ? [] : [[left, right] as [MediaEndpoint, MediaEndpoint]];
  });
}

function disconnectMedia(a: BaseChannel, b: BaseChannel): void {
  for (const endpoint of [mediaEndpointOf(a), mediaEndpointOf(b), ...extraEndpointPairs(a, b).flat()]) {
    try {
      endpoint?.disconnect();
    } catch {
      // Released already.
    }
  }
}

/** A channel's place in a bridge: which side of the Dial it is, and how it leaves early. */
interface BridgeMembership {
  readonly role: 'caller' | 'callee';
  readonly leave: () => void;
}

const memberships = new WeakMap<BaseChannel, BridgeMembership>();

/** `caller` when the channel is bridged as the side running the dialplan (Dial's caller), `callee` for the other. */
export function bridgeRole(channel: BaseChannel): 'caller' | 'callee' | undefined {
  return memberships.get(channel)?.role;
}

/**
 * Takes a channel out of its bridge without ending the bridge (a blind transfer's transferer,
 * Asterisk's ast_bridge_transfer_blind()): its audio is disconnected and its hangup no longer
 * ends the bridge, which now lasts until the remaining channel hangs up. False when the channel
 * is in no bridge.
 */
export function leaveBridge(channel: BaseChannel): boolean {
  const membership = memberships.get(channel);
  if (membership === undefined) return false;
  membership.leave();
  return true;
}

/**
 * Bridges two answered channels (Asterisk's basic bridge after Dial): their RTP endpoints are
 * connected in the relay, and the bridge lasts until either side hangs up or a Dial L()/S()
 * limit expires (then the callee is hung up).
 */
export function bridgeChannels(caller: BaseChannel, callee: BaseChannel, options: BridgeOptions): Promise<BridgeEnd> {
  caller.bridgedWith = callee;
  callee.bridgedWith = caller;
  const bridgeId = randomUUID();
  caller.bridgeId = bridgeId;
  callee.bridgeId = bridgeId;
  connectMedia(caller, callee);
  // Two SIP legs may have their media flow directly (chan_sip directmedia, bridge_native_rtp).
  const direct = caller instanceof SipChannel && callee instanceof SipChannel ? new DirectMediaBridge(caller, callee, options.dtmfFeatures === true) : undefined;
  void direct?.start();
  return new Promise((resolve) => {
    const limitMs = Math.min(options.limitMs ?? Infinity, options.hangupAfterMs ?? Infinity);
    const timer = Number.isFinite(limitMs) ? setTimeout(() => callee.hangup(16), limitMs) : undefined;
    const unlink = (): void => {
      direct?.stop();
      endHoldMusic(caller);
      endHoldMusic(callee);
      if (caller instanceof SipChannel) endT38(caller);
      disconnectMedia(caller, callee);
      if (caller.bridgedWith === callee) caller.bridgedWith = undefined;
      if (callee.bridgedWith === caller) callee.bridgedWith = undefined;
      if (caller.bridgeId === bridgeId) caller.bridgeId = '';
      if (callee.bridgeId === bridgeId) callee.bridgeId = '';
      memberships.delete(caller);
      memberships.delete(callee);
    };
    const finish = (endedBy: BridgeEnd['endedBy']): void => {
      if (timer !== undefined) clearTimeout(timer);
      offCaller();
      offCallee();
      unlink();
      resolve({ endedBy });
    };
    const offCaller = caller.onHangup(() => finish('caller'));
    const offCallee = callee.onHangup(() => finish('callee'));
    memberships.set(caller, {
      role: 'caller',
      leave: () => {
        if (timer !== undefined) clearTimeout(timer);
        offCaller();
        unlink();
      },
    });
    memberships.set(callee, {
      role: 'callee',
      leave: () => {
        if (timer !== undefined) clearTimeout(timer);
        offCallee();
        unlink();
      },
    });
  });
}
