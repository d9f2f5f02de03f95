/**
 * Busy()/Congestion() and autofallthrough (Asterisk 20, main/pbx_builtins.c
 * `indicate_busy()`, `indicate_congestion()`, `wait_for_hangup()`): signal the condition,
 * set the cause when the channel is not up, then wait for the caller to hang up.
 */
import { Cause } from '../hangup-causes.js';
import type { DialplanSession } from './dialplan-session.js';

/**
 * Indicates busy or congestion and waits `seconds` (undefined = until hangup). Returns the
 * application result Busy()/Congestion() give: always `hangup`.
 */
export async function indicateAndWait(session: DialplanSession, condition: 'busy' | 'congestion', seconds: number | undefined): Promise<'hangup'> {
  const channel = session.channel;
  // The indication goes out first (a SIP channel answers 486/503 there, before the cause is
  // set, so that response carries the cause the channel had until now); an answered channel
  // keeps its state and cause and only hears the tone.
  if (!channel.isHungUp) await channel.indicate(condition);
  if (channel.state !== 'up') {
    channel.hangupCause = condition === 'busy' ? Cause.USER_BUSY : Cause.NORMAL_CIRCUIT_CONGESTION;
  }
  if (seconds === undefined) {
    while (!channel.isHungUp && !session.absoluteTimeoutExpired) {
      if ((await session.sleep(60_000)) !== 'done') break;
    }
  } else {
    await session.sleep(seconds * 1000);
  }
  return 'hangup';
}

/** wait_for_hangup()'s argument: seconds (fractions allowed); empty = forever; invalid = forever. */
export function parseWaitSeconds(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const match = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  return value >= 0 ? value : undefined;
}
