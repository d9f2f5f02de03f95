/**
 * Q.850 hangup causes by number and name (Asterisk 20, main/channel.c `causes[]`,
 * `ast_str2cause()`, `ast_cause2str()`).
 */

interface CauseEntry {
  readonly cause: number;
  readonly name: string;
  readonly description: string;
}

const CAUSES: readonly CauseEntry[] = [
  { cause: 1, name: 'UNALLOCATED', description: 'Unallocated (unassigned) number' },
  { cause: 2, name: 'NO_ROUTE_TRANSIT_NET', description: 'No route to specified transmit network' },
  { cause: 3, name: 'NO_ROUTE_DESTINATION', description: 'No route to destination' },
  { cause: 5, name: 'MISDIALLED_TRUNK_PREFIX', description: 'Misdialed trunk prefix' },
  { cause: 6, name: 'CHANNEL_UNACCEPTABLE', description: 'Channel unacceptable' },
  { cause: 7, name: 'CALL_AWARDED_DELIVERED', description: 'Call awarded and being delivered in an established channel' },
  { cause: 8, name: 'PRE_EMPTED', description: 'Pre-empted' },
  { cause: 14, name: 'NUMBER_PORTED_NOT_HERE', description: 'Number ported elsewhere' },
  { cause: 16, name: 'NORMAL_CLEARING', description: 'Normal Clearing' },
  { cause: 17, name: 'USER_BUSY', description: 'User busy' },
  { cause: 18, name: 'NO_USER_RESPONSE', description: 'No user responding' },
  { cause: 19, name: 'NO_ANSWER', description: 'User alerting, no answer' },
  { cause: 20, name: 'SUBSCRIBER_ABSENT', description: 'Subscriber absent' },
  { cause: 21, name: 'CALL_REJECTED', description: 'Call Rejected' },
  { cause: 22, name: 'NUMBER_CHANGED', description: 'Number changed' },
  { cause: 23, name: 'REDIRECTED_TO_NEW_DESTINATION', description: 'Redirected to new destination' },
  { cause: 26, name: 'ANSWERED_ELSEWHERE', description: 'Answered elsewhere' },
  { cause: 27, name: 'DESTINATION_OUT_OF_ORDER', description: 'Destination out of order' },
  { cause: 28, name: 'INVALID_NUMBER_FORMAT', description: 'Invalid number format' },
  { cause: 29, name: 'FACILITY_REJECTED', description: 'Facility rejected' },
  { cause: 30, name: 'RESPONSE_TO_STATUS_ENQUIRY', description: 'Response to STATus ENQuiry' },
  { cause: 31, name: 'NORMAL_UNSPECIFIED', description: 'Normal, unspecified' },
  { cause: 34, name: 'NORMAL_CIRCUIT_CONGESTION', description: 'Circuit/channel congestion' },
  { cause: 38, name: 'NETWORK_OUT_OF_ORDER', description: 'Network out of order' },
  { cause: 41, name: 'NORMAL_TEMPORARY_FAILURE', description: 'Temporary failure' },
  { cause: 42, name: 'SWITCH_CONGESTION', description: 'Switching equipment congestion' },
  { cause: 43, name: 'ACCESS_INFO_DISCARDED', description: 'Access information discarded' },
  { cause: 44, name: 'REQUESTED_CHAN_UNAVAIL', description: 'Requested channel not available' },
  { cause: 50, name: 'FACILITY_NOT_SUBSCRIBED', description: 'Facility not subscribed' },
  { cause: 52, name: 'OUTGOING_CALL_BARRED', description: 'Outgoing call barred' },
  { cause: 54, name: 'INCOMING_CALL_BARRED', description: 'Incoming call barred' },
  { cause: 57, name: 'BEARERCAPABILITY_NOTAUTH', description: 'Bearer capability not authorized' },
  { cause: 58, name: 'BEARERCAPABILITY_NOTAVAIL', description: 'Bearer capability not available' },
  { cause: 65, name: 'BEARERCAPABILITY_NOTIMPL', description: 'Bearer capability not implemented' },
  { cause: 66, name: 'CHAN_NOT_IMPLEMENTED', description: 'Channel not implemented' },
  { cause: 69, name: 'FACILITY_NOT_IMPLEMENTED', description: 'Facility not implemented' },
  { cause: 81, name: 'INVALID_CALL_REFERENCE', description: 'Invalid call reference value' },
  { cause: 88, name: 'INCOMPATIBLE_DESTINATION', description: 'Incompatible destination' },
  { cause: 95, name: 'INVALID_MSG_UNSPECIFIED', description: 'Invalid message unspecified' },
  { cause: 96, name: 'MANDATORY_IE_MISSING', description: 'Mandatory information element is missing' },
  { cause: 97, name: 'MESSAGE_TYPE_NONEXIST', description: 'Message type nonexist.' },
  { cause: 98, name: 'WRONG_MESSAGE', description: 'Wrong message' },
  { cause: 99, name: 'IE_NONEXIST', description: 'Info. element nonexist or not implemented' },
  { cause: 100, name: 'INVALID_IE_CONTENTS', description: 'Invalid information element contents' },
  { cause: 101, name: 'WRONG_CALL_STATE', description: 'Message not compatible with call state' },
  { cause: 102, name: 'RECOVERY_ON_TIMER_EXPIRE', description: 'Recover on timer expiry' },
  { cause: 103, name: 'MANDATORY_IE_LENGTH_ERROR', description: 'Mandatory IE length error' },
  { cause: 111, name: 'PROTOCOL_ERROR', description: 'Protocol error, unspecified' },
  { cause: 127, name: 'INTERWORKING', description: 'Interworking, unspecified' },
];

/** Common causes by name, for readable code. */
export const Cause = {
  UNALLOCATED: 1,
  NORMAL_CLEARING: 16,
  USER_BUSY: 17,
  NO_USER_RESPONSE: 18,
  NO_ANSWER: 19,
  SUBSCRIBER_ABSENT: 20,
  CALL_REJECTED: 21,
  ANSWERED_ELSEWHERE: 26,
  NORMAL_CIRCUIT_CONGESTION: 34,
  BEARERCAPABILITY_NOTAVAIL: 58,
  CHAN_NOT_IMPLEMENTED: 66,
} as const;

/**
 * ast_str2cause(): the cause whose name starts `text` (case-insensitive, table order);
 * undefined when none does.
 */
export function causeFromName(text: string): number | undefined {
  const upper = text.toUpperCase();
  return CAUSES.find((entry) => upper.startsWith(entry.name))?.cause;
}

/** Parses a cause given as a Q.850 name or a positive number (Hangup(), Dial Q()). */
export function parseCause(text: string): number | undefined {
  const named = causeFromName(text.trim());
  if (named !== undefined && named > 0) return named;
  const match = /^\s*([+-]?\d+)/.exec(text);
  const cause = match ? Number(match[1]) : Number.NaN;
  return cause > 0 ? cause : undefined;
}

/** The first entry of each cause number (every hangup looks one up for X-Asterisk-HangupCause). */
const BY_CAUSE = new Map<number, CauseEntry>();
for (const entry of CAUSES) if (!BY_CAUSE.has(entry.cause)) BY_CAUSE.set(entry.cause, entry);

/** ast_cause2str(): the description of a cause ("Unknown" when not in the table). */
export function causeDescription(cause: number): string {
  return BY_CAUSE.get(cause)?.description ?? 'Unknown';
}

/** The Q.850 name of a cause, or undefined. */
export function causeName(cause: number): string | undefined {
  return BY_CAUSE.get(cause)?.name;
}
