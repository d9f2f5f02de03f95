/**
 * The logger this package writes to. Structural, so pino (or a test spy) fits.
 *
 * Messages that reproduce an Asterisk log line carry `asteriskLevel` (`NOTICE`, `WARNING`,
 * `ERROR`, `VERBOSE`) in the object, so the server can print them the way Asterisk's log does
 * (fail2ban filters match `NOTICE ... Registration from ... failed for '<ip>:<port>' ...`).
 */
export interface Logger {
  debug(objOrMessage: object | string, message?: string): void;
  info(objOrMessage: object | string, message?: string): void;
  warn(objOrMessage: object | string, message?: string): void;
  error(objOrMessage: object | string, message?: string): void;
}

/** A logger that drops everything (the default when none is given). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
