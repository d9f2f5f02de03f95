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
  if (channel.state !== 'up' && !channel.isHungUp) {
    channel.hangupCause = condition === 'busy' ? Cause.USER_BUSY : Cause.NORMAL_CIRCUIT_CONGESTION;
  }
  if (!channel.isHungUp) await channel.indicate(condition);
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
