/** A NAPTR record as `node:dns` returns it. */
export interface NaptrRecord {
  readonly flags: string;
  readonly service: string;
  readonly regexp: string;
  readonly replacement: string;
  readonly order: number;
  readonly preference: number;
}

/** NAPTR records by ascending order, then preference (RFC 3403 §4.1; Asterisk enum.c sorts the same way). */
export function sortNaptr(records: readonly NaptrRecord[]): NaptrRecord[] {
  return [...records].sort((a, b) => a.order - b.order || a.preference - b.preference);
}

/**
 * The ENUM domain of a number (Asterisk enum.c): the leading `+` dropped, digits reversed and
 * dot-joined (other characters skipped), then the suffix (default `e164.arpa`).
 */
export function enumDomain(number: string, suffix = 'e164.arpa'): string {
  const digits = [...number].filter((char) => char >= '0' && char <= '9').reverse();
  return [...digits, suffix.replace(/^\.+/, '')].join('.');
}
