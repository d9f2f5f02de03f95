import { SipError } from '../sip-error.js';

/** The CSeq header (RFC 3261 §20.16). */
export interface CSeq {
  seq: number;
  method: string;
}

/**
 * Parses `CSeq: 102 INVITE`. Lenient like chan_sip's `sscanf("%30u")`: only a leading number is
 * required; a missing method gives `''`.
 * @throws {@link SipError} `invalid-header` when there is no leading number.
 */
export function parseCSeq(text: string): CSeq {
  const match = /^\s*\+?(\d+)\s*(\S*)/.exec(text);
  if (!match) throw new SipError('invalid-header', `Bad CSeq '${text}'`);
  return { seq: Number(match[1]), method: match[2] ?? '' };
}

/** Writes `102 INVITE`. */
export function formatCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
