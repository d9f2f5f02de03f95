/**
 * The control socket speaks newline-delimited JSON: one request line, one reply line.
 */

/** A CLI command sent to the running server. */
export interface ControlRequest {
  readonly command: string;
}

/** The server's answer: the command's text output, and whether it succeeded. */
export interface ControlReply {
  readonly ok: boolean;
  readonly output: string;
}

/** Reads a request line; `undefined` when it is not one. */
export function parseControlRequest(line: string): ControlRequest | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && 'command' in value && typeof value.command === 'string') {
      return { command: value.command };
    }
  } catch {
    // fall through: not JSON
  }
  return undefined;
}

/** Reads a reply line; `undefined` when it is not one. */
export function parseControlReply(line: string): ControlReply | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (
      typeof value === 'object' && value !== null &&
      'ok' in value && typeof value.ok === 'boolean' &&
      'output' in value && typeof value.output === 'string'
    ) {
      return { ok: value.ok, output: value.output };
    }
  } catch {
    // fall through: not JSON
  }
  return undefined;
}
