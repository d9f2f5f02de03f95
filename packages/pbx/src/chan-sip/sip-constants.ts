/**
 * Header values chan_sip writes on every dialog (Asterisk 20, chan_sip.c).
 */

/** `ALLOWED_METHODS`. */
export const ALLOWED_METHODS = 'INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, NOTIFY, INFO, PUBLISH, MESSAGE';

/** `SUPPORTED_EXTENSIONS` (timer only while session timers are not refused). */
export function supportedExtensions(timers: boolean): string {
  return timers ? 'replaces, timer' : 'replaces';
}

/** Methods chan_sip answers (anything else gets 501). */
export const KNOWN_METHODS = new Set([
  'INVITE',
  'ACK',
  'CANCEL',
  'BYE',
  'OPTIONS',
  'REGISTER',
  'REFER',
  'SUBSCRIBE',
  'NOTIFY',
  'INFO',
  'MESSAGE',
  'UPDATE',
  'PRACK',
  'PUBLISH',
]);
