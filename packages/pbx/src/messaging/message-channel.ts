import type { ChannelMedia, Indication, MediaStatus, PlayResult, RecordOptions, RecordResult } from '@tandem/dialplan';
import { BaseChannel } from '../channels/base-channel.js';

/** A channel without audio: every media operation fails at once (the message channel has no media). */
class NoMedia implements ChannelMedia {
  play(): Promise<PlayResult> {
    return Promise.resolve({ status: 'failed' });
  }
  playTones(): void {}
  stopTones(): void {}
  echo(): Promise<MediaStatus> {
    return Promise.resolve('failed');
  }
  readDigit(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  flushDigits(): void {}
  record(file: string, _options: RecordOptions): Promise<RecordResult> {
    return Promise.resolve({ status: 'error', file, durationMs: 0 });
  }
  sendDigits(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The channel a received text message runs the dialplan on (main/message.c
 * `Message/ast_msg_queue`): up from the start, no media, not listed among the live channels.
 * MESSAGE() and MESSAGE_DATA() read the message attached to it.
 */
export class MessageChannel extends BaseChannel {
  readonly media: ChannelMedia = new NoMedia();

  constructor() {
    super('Message/ast_msg_queue', 'Message', 'up');
  }

  answer(): Promise<void> {
    return Promise.resolve();
  }

  indicate(_indication: Indication): Promise<void> {
    return Promise.resolve();
  }

  protected releaseSignalling(): void {
    // Nothing to tell anyone: a message has no call to end.
  }
}
