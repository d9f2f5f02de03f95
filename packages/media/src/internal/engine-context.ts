import type { NativeEngine, NativeEvent } from '../native-binding.js';

/** What an endpoint needs from its engine (kept apart so the two classes don't import each other). */
export interface EngineContext {
  readonly native: NativeEngine;
  readonly soundsDir: string;
  /** Keeps the process alive while an operation waits for a native completion. */
  holdOpen(): void;
  letClose(): void;
  forget(id: number): void;
}

/** An endpoint as the engine's event dispatcher sees it. */
export interface NativeEventTarget {
  handleNativeEvent(event: NativeEvent): void;
}
