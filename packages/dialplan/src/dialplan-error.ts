/** What went wrong, as a stable machine-readable code. */
export type DialplanErrorCode =
  | 'invalid-argument'
  | 'no-such-context'
  | 'no-such-application'
  | 'no-such-function'
  | 'function-not-writable'
  | 'function-not-readable'
  | 'not-permitted'
  | 'recursion-limit';

/** The dialplan package's error: thrown for programming errors and refused operations. */
export class DialplanError extends Error {
  override readonly name = 'DialplanError';
  readonly code: DialplanErrorCode;

  constructor(code: DialplanErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
