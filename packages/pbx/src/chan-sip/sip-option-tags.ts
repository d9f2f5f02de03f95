import type { SipMessage } from '@tandem/sip';

/**
 * Option tags chan_sip knows and whether it supports them (Asterisk 20 sip.h `sip_options[]`):
 * only `replaces` (and Polycom's `replace`) and `timer` are supported; the rest are known but
 * refused when required.
 */
const KNOWN_OPTION_TAGS: ReadonlyMap<string, boolean> = new Map([
  ['100rel', false],
  ['early-session', false],
  ['eventlist', false],
  ['from-change', false],
  ['gruu', false],
  ['histinfo', false],
  ['join', false],
  ['norefersub', false],
  ['outbound', false],
  ['path', false],
  ['pref', false],
  ['precondition', false],
  ['privacy', false],
  ['recipient-list-invite', false],
  ['recipient-list-subscribe', false],
  ['replaces', true],
  ['replace', true],
  ['resource-priority', false],
  ['sec_agree', false],
  ['sdp-anat', false],
  ['timer', true],
  ['tdialog', false],
]);

/** The option tags of a request's `Supported` and `Require` headers (chan_sip `sipoptions`). */
export interface SipOptionTags {
  /** Tags in Supported or Require, lower-case. */
  readonly supported: ReadonlySet<string>;
  /** Tags in Require, lower-case. */
  readonly required: ReadonlySet<string>;
  /** Required tags chan_sip does not support, as written (for `Unsupported:`). */
  readonly unsupported: readonly string[];
}

/** Splits comma-separated option tags of every header with this name (empty items skipped). */
function tagsOf(message: SipMessage, header: string): string[] {
  return message.headers
    .getAll(header)
    .flatMap((value) => value.split(','))
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/**
 * Reads Supported and Require (chan_sip (Asterisk 20): handle_request_invite() with
 * parse_sip_options()): tags in Require count as supported too; a required tag that is unknown
 * or not supported is listed in `unsupported`, in order, for the 420 answer.
 */
export function readOptionTags(message: SipMessage): SipOptionTags {
  const required = tagsOf(message, 'Require');
  const supported = new Set([...tagsOf(message, 'Supported'), ...required].map((tag) => tag.toLowerCase()));
  return {
    supported,
    required: new Set(required.map((tag) => tag.toLowerCase())),
    unsupported: required.filter((tag) => KNOWN_OPTION_TAGS.get(tag.toLowerCase()) !== true),
  };
}

/**
 * The headers of a 420 (chan_sip (Asterisk 20): transmit_response_with_unsupported()): Date,
 * then `Unsupported` with the refused option tags.
 */
export function unsupportedHeaders(tags: readonly string[]): [name: string, value: string][] {
  return [
    ['Date', new Date().toUTCString()],
    ['Unsupported', tags.join(',')],
  ];
}
