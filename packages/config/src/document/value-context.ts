import type { ConfVariable, Diagnostic } from '../conf-types.js';
import { errorAt, warningAt } from '../diagnostics/diagnostic.js';

/** The line a value came from, and where to report what is wrong with it. */
export interface ValueContext {
  readonly variable: ConfVariable;
  error(message: string): void;
  warning(message: string): void;
}

/** A context reporting into `diagnostics` at the variable's location. */
export function valueContext(variable: ConfVariable, diagnostics: Diagnostic[]): ValueContext {
  return {
    variable,
    error: (message) => diagnostics.push(errorAt(variable, message)),
    warning: (message) => diagnostics.push(warningAt(variable, message)),
  };
}
