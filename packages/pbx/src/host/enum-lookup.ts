import type { EnumRecord } from '@tandem/dialplan';
import type { NaptrRecord, SipResolver } from '@tandem/sip';
import { enumDomain, sortNaptr } from '@tandem/sip';

/**
 * The URI a NAPTR regexp makes of `number` (Asterisk 20 main/enum.c parse_naptr()):
 * `<delim>pattern<delim>replacement<delim>[i]`, with `\1`..`\9` back-references. Undefined when
 * the regexp is malformed or does not match.
 */
export function applyNaptrRegexp(regexp: string, number: string): string | undefined {
  const delimiter = regexp[0];
  if (delimiter === undefined || /[\d\\i]/.test(delimiter)) return undefined;
  const parts = regexp.slice(1).split(delimiter);
  if (parts.length < 3) return undefined;
  const [pattern = '', replacement = '', flags = ''] = parts;
  let expression: RegExp;
  try {
    expression = new RegExp(pattern, flags.includes('i') ? 'i' : '');
  } catch {
    return undefined;
  }
  const match = expression.exec(number);
  if (match === null) return undefined;
  return replacement.replace(/\\(\d)/g, (_, index: string) => match[Number(index)] ?? '');
}

/** `E2U+sip`, `sip+E2U`, `E2U+voice:sip` -> `sip`. */
function serviceTech(service: string): string | undefined {
  const parts = service.toLowerCase().split('+');
  if (parts.length !== 2) return undefined;
  const tech = parts[0] === 'e2u' ? parts[1] : parts[1] === 'e2u' ? parts[0] : undefined;
  if (tech === undefined) return undefined;
  const colon = tech.indexOf(':');
  return colon >= 0 ? tech.slice(colon + 1) : tech;
}

/** The terminal E2U records of one ENUM domain. */
async function lookupDomain(resolver: Pick<SipResolver, 'naptr'>, number: string, domain: string): Promise<EnumRecord[]> {
  const records: NaptrRecord[] = sortNaptr(await resolver.naptr(domain));
  const results: EnumRecord[] = [];
  for (const record of records) {
    if (record.flags.toLowerCase() !== 'u') continue;
    const tech = serviceTech(record.service);
    const uri = applyNaptrRegexp(record.regexp, number);
    if (tech === undefined || uri === undefined) continue;
    results.push({ order: record.order, preference: record.preference, service: tech, uri });
  }
  return results;
}

/**
 * ENUM NAPTR lookup for ENUMLOOKUP/ENUMQUERY: terminal (`u`) E2U records, order then
 * preference. The default suffix (`e164.arpa`) stands for enum.conf's `search =>` list, tried
 * in order until one answers (Asterisk 1.2's rule, which Tandem keeps); a suffix that fails
 * to resolve is skipped.
 */
export async function enumLookup(
  resolver: Pick<SipResolver, 'naptr'>,
  number: string,
  suffix: string,
  direct: boolean,
  searchSuffixes: readonly string[] = [],
): Promise<EnumRecord[]> {
  const suffixes = suffix.toLowerCase() === 'e164.arpa' && searchSuffixes.length > 0 ? searchSuffixes : [suffix];
  const digits = [...number].filter((char) => char >= '0' && char <= '9');
  for (const candidate of suffixes) {
    const domain = direct ? [...digits, candidate.replace(/^\.+/, '')].join('.') : enumDomain(number, candidate);
    try {
      const records = await lookupDomain(resolver, number, domain);
      if (records.length > 0) return records;
    } catch {
      // main/enum.c: a failed query gives no result; the next suffix may answer.
    }
  }
  return [];
}
