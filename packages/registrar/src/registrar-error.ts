/**
 * What can go wrong in `@tandem/registrar`, as a literal union so callers can switch on it.
 *
 * - `store-failed`: the embedded SQLite store could not read or write.
 * - `store-closed`: the embedded store was used after `close()`.
 * - `realtime-unavailable`: a realtime database could not be reached (the caller answers 503;
 *   nothing stored is lost, the driver reconnects on the next use).
 * - `realtime-query-failed`: the database answered with an error (bad table, bad column...).
 * - `realtime-not-configured`: a realtime family (sippeers, sipregs) has no driver mapped.
 * - `invalid-argument`: bad input from a caller (empty table name, malformed criteria...).
 * - `unknown-peer`: a command named a peer that does not exist.
 * - `not-registered`: a command needs a registered peer and the peer has no binding.
 */
export type RegistrarErrorCode =
  | 'store-failed'
  | 'store-closed'
  | 'realtime-unavailable'
  | 'realtime-query-failed'
  | 'realtime-not-configured'
  | 'invalid-argument'
  | 'unknown-peer'
  | 'not-registered';

/** The error class of `@tandem/registrar`; `code` tells what failed. */
export class RegistrarError extends Error {
  override readonly name = 'RegistrarError';
  readonly code: RegistrarErrorCode;

  constructor(code: RegistrarErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True for a `RegistrarError`, also one thrown by another copy of this package. */
export function isRegistrarError(value: unknown): value is RegistrarError {
  return value instanceof RegistrarError || (value instanceof Error && value.name === 'RegistrarError');
}
