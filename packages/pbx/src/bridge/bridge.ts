import type { BridgeEnd, BridgeOptions } from '@tandem/dialplan';
import type { BaseChannel } from '../channels/base-channel.js';
import { mediaEndpointOf } from './media-route.js';

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
}

function disconnectMedia(a: BaseChannel, b: BaseChannel): void {
  for (const endpoint of [mediaEndpointOf(a), mediaEndpointOf(b)]) {
    try {
      endpoint?.disconnect();
    } catch {
      // Released already.
    }
  }
}

/**
 * Bridges two answered channels (Asterisk's basic bridge after Dial): their RTP endpoints are
 * connected in the relay, and the bridge lasts until either side hangs up or a Dial L()/S()
 * limit expires (then the callee is hung up).
 */
export function bridgeChannels(caller: BaseChannel, callee: BaseChannel, options: BridgeOptions): Promise<BridgeEnd> {
  caller.bridgedWith = callee;
  callee.bridgedWith = caller;
  connectMedia(caller, callee);
  return new Promise((resolve) => {
    const limitMs = Math.min(options.limitMs ?? Infinity, options.hangupAfterMs ?? Infinity);
    const timer = Number.isFinite(limitMs) ? setTimeout(() => callee.hangup(16), limitMs) : undefined;
    const finish = (endedBy: BridgeEnd['endedBy']): void => {
      if (timer !== undefined) clearTimeout(timer);
      offCaller();
      offCallee();
      disconnectMedia(caller, callee);
      if (caller.bridgedWith === callee) caller.bridgedWith = undefined;
      if (callee.bridgedWith === caller) callee.bridgedWith = undefined;
      resolve({ endedBy });
    };
    const offCaller = caller.onHangup(() => finish('caller'));
    const offCallee = callee.onHangup(() => finish('callee'));
  });
}
