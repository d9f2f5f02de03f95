/**
 * Every failure `@tandem/sip` reports. The literal union lets callers `switch` exhaustively.
 */
export type SipErrorCode =
  | 'invalid-uri'
  | 'invalid-header'
  | 'missing-header'
  | 'invalid-message'
  | 'invalid-argument'
  | 'bind-failed'
  | 'transport-closed'
  | 'transport-error'
  | 'message-too-large'
  | 'no-route'
  | 'transaction-timeout'
  | 'transaction-terminated'
  | 'dialog-state'
  | 'auth-challenge'
  | 'sdp-invalid'
  | 'dns-failed'
  | 'tls-config';

/** Options of a {@link SipError}: the SIP status it maps to, if any, and the cause. */
export interface SipErrorOptions {
  /** SIP status code that describes this failure on the wire (e.g. 400, 408, 503). */
  readonly status?: number;
  /** The underlying error (ES2022 `cause`). */
  readonly cause?: unknown;
}

/**
 * The error class of `@tandem/sip`. `code` says what went wrong; `status` is set when the
 * failure corresponds to a SIP response (a 408 for Timer B, a 400 for a malformed message).
 */
export class SipError extends Error {
  /** What went wrong. */
  readonly code: SipErrorCode;
  /** SIP status code equivalent, when there is one. */
  readonly status: number | undefined;

  constructor(code: SipErrorCode, message: string, options: SipErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SipError';
    this.code = code;
    this.status = options.status;
  }
}

/** True when `value` is a {@link SipError} (also across duplicated module copies). */
export function isSipError(value: unknown): value is SipError {
  return value instanceof SipError || (value instanceof Error && value.name === 'SipError' && 'code' in value);
}
