import type { Diagnostic } from '@tandem/config';

/** What went wrong in the PBX core. */
export type PbxErrorCode = 'invalid-config' | 'start-failed';

/** A failure of the PBX core (start-up). */
export class PbxError extends Error {
  override readonly name = 'PbxError';
  readonly code: PbxErrorCode;
  /** For `invalid-config`: every diagnostic of the load. */
  readonly diagnostics: readonly Diagnostic[];

  constructor(code: PbxErrorCode, message: string, options: { cause?: unknown; diagnostics?: readonly Diagnostic[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.diagnostics = options.diagnostics ?? [];
  }
}
