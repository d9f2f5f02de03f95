import type { BaseChannel } from './base-channel.js';

/** Every live channel of the process (`core show channels`, `channel request hangup`). */
export class ChannelRegistry {
  readonly #channels = new Map<string, BaseChannel>();

  add(channel: BaseChannel): void {
    this.#channels.set(channel.name, channel);
  }

  /** Removes the channel; false when it was not registered (already removed). */
  remove(channel: BaseChannel): boolean {
    if (this.#channels.get(channel.name) !== channel) return false;
    this.#channels.delete(channel.name);
    return true;
  }

  get(name: string): BaseChannel | undefined {
    return this.#channels.get(name);
  }

  /** Live channels in creation order. */
  list(): BaseChannel[] {
    return [...this.#channels.values()];
  }

  get size(): number {
    return this.#channels.size;
  }
}
