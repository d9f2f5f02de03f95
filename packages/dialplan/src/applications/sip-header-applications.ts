/**
 * SIPAddHeader / SIPRemoveHeader (Asterisk 20, channels/chan_sip.c `sip_addheader()`,
 * `sip_removeheader()`): pure variable operations on `__SIPADDHEADER01`..`50`, inherited by
 * every channel dialled from this one; the SIP channel adds each value as a header.
 */
import type { ApplicationResult, DialplanApplication } from '../engine/application-registry.js';
import { decodeEncodedChar } from '../internal/encoded-char.js';
import { readVariable } from '../variables/channel-variables.js';

/** ast_get_encoded_str(): decodes backslash escapes in the whole string. */
function decodeString(text: string): string {
  let out = '';
  let rest = text;
  while (rest !== '') {
    const decoded = decodeEncodedChar(rest);
    if (!decoded) break;
    out += decoded.char;
    rest = rest.slice(decoded.consumed);
  }
  return out;
}

/** The SIPADDHEADERnn names, 01..50. */
export function sipAddHeaderSlots(): string[] {
  return Array.from({ length: 50 }, (_, index) => `SIPADDHEADER${String(index + 1).padStart(2, '0')}`);
}

const sipAddHeader: DialplanApplication = {
  name: 'SIPAddHeader',
  synopsis: 'Add a SIP header to the outbound call.',
  syntax: 'SIPAddHeader(Header: Content)',
  async execute(session, data): Promise<ApplicationResult> {
    if (data === '') {
      session.log('warning', 'This application requires the argument: Header');
      return 'continue';
    }
    const free = sipAddHeaderSlots().find((slot) => session.getVariable(slot) === undefined);
    if (!free) {
      session.log('warning', 'Too many SIP headers added, max 50');
      return 'continue';
    }
    await session.setVariable(`__${free}`, decodeString(data));
    return 'continue';
  },
};

const sipRemoveHeader: DialplanApplication = {
  name: 'SIPRemoveHeader',
  synopsis: 'Remove SIP headers previously added with SIPAddHeader',
  syntax: 'SIPRemoveHeader([Header])',
  execute(session, data): ApplicationResult {
    const variables = session.channel.variables;
    const prefix = data.toLowerCase();
    for (const [name] of [...variables.entries()]) {
      if (!name.replace(/^_{1,2}/, '').startsWith('SIPADDHEADER')) continue;
      const value = readVariable(variables, name.replace(/^_{1,2}/, '')) ?? '';
      if (prefix === '' || value.toLowerCase().startsWith(prefix)) variables.delete(name);
    }
    return 'continue';
  },
};

/** The SIP header applications (technology-neutral: they only touch variables). */
export const sipHeaderApplications: readonly DialplanApplication[] = [sipAddHeader, sipRemoveHeader];
