import type { SipPeerSettings } from '@tandem/config';
import { isRestricted } from './caller-id.js';
import type { SipChannel } from './sip-channel.js';

const ANONYMOUS = '"Anonymous" <sip:anonymous@anonymous.invalid>';

/** Escapes `"` and `\\` inside a quoted display name (ast_escape_quoted()). */
export function escapeQuoted(text: string): string {
  return text.replace(/(["\\])/g, '\\$1');
}

/**
 * Percent-encodes what may not appear in a SIP URI user part (ast_uri_encode() with
 * ast_uri_sip_user: unreserved and user-unreserved characters stay).
 */
export function encodeSipUser(user: string): string {
  let out = '';
  for (const byte of Buffer.from(user, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && /[A-Za-z0-9\-_.!~*'()&=+$,;?/]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Remote-Party-ID or P-Asserted-Identity (+ Privacy) for devices with `sendrpid` (chan_sip
 * (Asterisk 20): add_rpid()), honouring the caller's presentation and `trust_id_outbound`.
 * `fromDomain` is the From host chan_sip chose (`anonymous.invalid` for a restricted caller
 * without `fromdomain`).
 */
export function addIdentityHeaders(headers: [string, string][], channel: SipChannel, settings: SipPeerSettings, fromDomain: string, ourAddress: string): void {
  if (settings.sendrpid === 'no') return;
  const callerId = channel.callerId;
  const number = callerId.number;
  if (number === '') return;
  const name = escapeQuoted(callerId.name === '' ? number : callerId.name);
  const restricted = isRestricted(callerId.presentation);
  const trust = settings.trustIdOutbound;
  // "If pres is not allowed and we don't trust the peer, we don't apply an RPID header".
  if (restricted && trust === 'no') return;
  const domain = trust === 'yes' && fromDomain === 'anonymous.invalid' ? ourAddress : fromDomain;
  const user = encodeSipUser(number);
  if (settings.sendrpid === 'pai') {
    if (trust !== 'legacy') {
      headers.push(['P-Asserted-Identity', `"${name}" <sip:${user}@${domain}>`]);
      if (restricted) headers.push(['Privacy', 'id']);
    } else {
      headers.push(['P-Asserted-Identity', restricted ? ANONYMOUS : `"${name}" <sip:${user}@${domain}>`]);
    }
    return;
  }
  let value = `"${name}" <sip:${user}@${domain}>;party=${channel.direction === 'outbound' ? 'calling' : 'called'}`;
  const screening = rpidScreening(callerId.presentation);
  if (screening !== undefined) value += `;privacy=${screening.privacy};screen=${screening.screen}`;
  headers.push(['Remote-Party-ID', value]);
}

function rpidScreening(presentation: string): { privacy: string; screen: string } | undefined {
  switch (presentation) {
    case 'allowed_not_screened':
    case 'allowed_failed_screen':
      return { privacy: 'off', screen: 'no' };
    case 'allowed_passed_screen':
    case 'allowed':
      return { privacy: 'off', screen: 'yes' };
    case 'prohib_not_screened':
    case 'prohib_failed_screen':
      return { privacy: 'full', screen: 'no' };
    case 'prohib_passed_screen':
    case 'prohib':
      return { privacy: 'full', screen: 'yes' };
    case 'unavailable':
      return undefined;
    default:
      return { privacy: presentation.startsWith('prohib') ? 'full' : 'off', screen: 'no' };
  }
}

/**
 * Headers added with SIPAddHeader() (`__SIPADDHEADER01`...`50`, inherited onto this channel)
 * and the device's `header=` lines (chan_sip sip_call(): every SIPADDHEADER variable).
 */
export function addCustomHeaders(headers: [string, string][], channel: SipChannel): void {
  const added: string[] = [];
  for (const [name, value] of channel.variables.entries()) {
    if (/^_{0,2}SIPADDHEADER/.test(name)) added.push(value);
  }
  for (const line of [...(channel.peer?.settings.headers ?? []), ...added]) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
}
