/** Named one-shot timers of one transaction; all cleared together when it terminates. */
export class TimerSet<Name extends string> {
  readonly #timers = new Map<Name, NodeJS.Timeout>();

  /** (Re)starts `name`. */
  start(name: Name, ms: number, fire: () => void): void {
    this.stop(name);
    this.#timers.set(
      name,
      setTimeout(() => {
        this.#timers.delete(name);
        fire();
      }, ms),
    );
  }

  /** Stops `name` if running. */
  stop(name: Name): void {
    const timer = this.#timers.get(name);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(name);
  }

  /** True while `name` runs. */
  running(name: Name): boolean {
    return this.#timers.has(name);
  }

  /** Stops every timer. */
  clear(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
