import type { ValueContext } from '../document/value-context.js';
import { readChoice } from '../values/value-readers.js';

/** `requirements`: what a realtime driver does when a needed column is missing. */
export type RealtimeRequirements = 'warn' | 'createclose' | 'createchar';

/** Reads `requirements = warn|createclose|createchar`. */
export function readRequirements(value: string, context: ValueContext): RealtimeRequirements | undefined {
  return readChoice(value, context, ['warn', 'createclose', 'createchar'] as const);
}
