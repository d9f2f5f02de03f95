import { describe, expect, it } from 'vitest';
import { SipError, type NaptrRecord } from '@tandem/sip';
import { applyNaptrRegexp, enumLookup } from '../src/host/enum-lookup.js';

function naptr(regexp: string, overrides: Partial<NaptrRecord> = {}): NaptrRecord {
  return { flags: 'u', service: 'E2U+sip', regexp, replacement: '', order: 100, preference: 10, ...overrides };
}

/** A resolver answering from a table; names listed in `failing` time out. */
function resolver(zone: Record<string, NaptrRecord[]>, failing: readonly string[] = []) {
  const asked: string[] = [];
  return {
    asked,
    async naptr(name: string): Promise<NaptrRecord[]> {
      asked.push(name);
      if (failing.includes(name)) throw new SipError('dns-failed', `NAPTR lookup of ${name} failed: ETIMEOUT`);
      return zone[name] ?? [];
    },
  };
}

describe('applyNaptrRegexp (main/enum.c parse_naptr())', () => {
  it('applies the pattern with back-references, any delimiter and the i flag', () => {
    expect(applyNaptrRegexp('!^(.*)$!sip:\\1@example.com!', '15551234')).toBe('sip:15551234@example.com');
    expect(applyNaptrRegexp('#^1555(.*)$#sip:\\1@pbx.example#', '15551234')).toBe('sip:1234@pbx.example');
    expect(applyNaptrRegexp('!^ABC$!sip:x@y!i', 'abc')).toBe('sip:x@y');
  });

  it('refuses malformed or non-matching expressions', () => {
    expect(applyNaptrRegexp('!^9(.*)$!sip:\\1@h!', '15551234')).toBeUndefined();
    expect(applyNaptrRegexp('!(!x!', '1')).toBeUndefined();
    expect(applyNaptrRegexp('1abc1def1', '1')).toBeUndefined();
    expect(applyNaptrRegexp('', '1')).toBeUndefined();
  });
});

describe('enumLookup', () => {
  const zone = {
    '4.3.2.1.e164.arpa': [naptr('!^(.*)$!sip:\\1@public.example!')],
    '4.3.2.1.e164.example': [
      naptr('!^(.*)$!mailto:\\1@mail.example!', { service: 'E2U+mailto', order: 50 }),
      naptr('!^(.*)$!sip:\\1@second.example!', { preference: 20 }),
      naptr('!^(.*)$!sip:\\1@first.example!', { preference: 10 }),
      naptr('!^(.*)$!sip:\\1@nonterminal.example!', { flags: '' }),
    ],
  };

  it('reverses the digits, keeps terminal E2U records and their service names', async () => {
    const dns = resolver(zone);
    const records = await enumLookup(dns, '1234', 'e164.example', false);
    expect(dns.asked).toEqual(['4.3.2.1.e164.example']);
    expect(records.map((record) => [record.service, record.uri])).toEqual([
      ['mailto', 'mailto:1234@mail.example'],
      ['sip', 'sip:1234@first.example'],
      ['sip', 'sip:1234@second.example'],
    ]);
  });

  it("tries enum.conf's search suffixes in order for the default suffix, skipping failures and empty answers", async () => {
    const dns = resolver(zone, ['4.3.2.1.broken.example']);
    const records = await enumLookup(dns, '1234', 'e164.arpa', false, ['broken.example', 'empty.example', 'e164.example', 'e164.arpa']);
    expect(dns.asked).toEqual(['4.3.2.1.broken.example', '4.3.2.1.empty.example', '4.3.2.1.e164.example']);
    expect(records[1]?.uri).toBe('sip:1234@first.example');
  });

  it('keeps an explicit suffix and supports direct (unreversed) lookups', async () => {
    const dns = resolver({ '1.2.3.4.direct.example': [naptr('!^(.*)$!sip:\\1@d.example!')] });
    expect(await enumLookup(dns, '1234', 'e164.example', false, ['other.example'])).toEqual([]);
    expect(dns.asked).toEqual(['4.3.2.1.e164.example']);
    expect((await enumLookup(dns, '1234', 'direct.example', true))[0]?.uri).toBe('sip:1234@d.example');
  });
});
