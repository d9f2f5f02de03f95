/** Why a media operation failed. */
export type MediaErrorCode =
  | 'no-ports'
  | 'bind-failed'
  | 'bad-argument'
  | 'released'
  | 'closed'
  | 'unsupported'
  | 'io';

const knownCodes: ReadonlySet<string> = new Set<MediaErrorCode>([
  'no-ports',
  'bind-failed',
  'bad-argument',
  'released',
  'closed',
  'unsupported',
  'io',
]);

/** The error type of `@tandem/media`; `code` says what went wrong. */
export class MediaError extends Error {
  /** Machine-readable reason. */
  readonly code: MediaErrorCode;

  constructor(code: MediaErrorCode, message: string) {
    super(message);
    this.name = 'MediaError';
    this.code = code;
  }

  /** Maps a code reported by the native addon (unknown codes become `io`). */
  static fromNative(code: string, message: string): MediaError {
    return new MediaError(knownCodes.has(code) ? (code as MediaErrorCode) : 'io', message);
  }
}
