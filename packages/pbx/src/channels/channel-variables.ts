import type { ChannelVariables } from '@tandem/dialplan';

/** Channel variables kept in insertion order; names are case-sensitive as in Asterisk. */
export class VariableMap implements ChannelVariables {
  readonly #values = new Map<string, string>();

  get(name: string): string | undefined {
    return this.#values.get(name);
  }

  set(name: string, value: string): void {
    this.#values.set(name, value);
  }

  delete(name: string): void {
    this.#values.delete(name);
  }

  entries(): IterableIterator<[string, string]> {
    return this.#values.entries();
  }
}
