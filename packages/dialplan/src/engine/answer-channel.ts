/**
 * Answering as applications do it (Asterisk 20, main/channel.c `__ast_answer()`, which
 * `ast_answer()` calls with no delay).
 */
import type { DialplanSession } from './dialplan-session.js';

/**
 * Answers the session's channel. A channel that was ringing then waits for the caller's media
 * to start flowing: until its first audio or DTMF arrives, at most MAX(`delayMs`, 500 ms); a
 * requested delay is waited in full. Resolves `hangup` when the channel hung up meanwhile.
 */
export async function answerChannel(session: DialplanSession, delayMs = 0): Promise<'continue' | 'hangup'> {
  const channel = session.channel;
  if (channel.isHungUp) return 'hangup';
  if (channel.state === 'up') return 'continue';
  const wasRinging = channel.state === 'ring' || channel.state === 'ringing';
  await channel.answer();
  if (channel.isHungUp) return 'hangup';
  if (!wasRinging) return 'continue';
  const timeoutMs = Math.max(delayMs, session.engine.answerSettleMs);
  if (timeoutMs <= 0) return 'continue';
  const waitForMedia = channel.media.waitForMedia;
  if (delayMs === 0 && waitForMedia !== undefined) {
    const outcome = await waitForMedia.call(channel.media, timeoutMs);
    return outcome === 'hangup' || channel.isHungUp ? 'hangup' : 'continue';
  }
  return (await session.sleep(timeoutMs)) === 'hangup' ? 'hangup' : 'continue';
}
