import { describe, expect, it } from 'vitest';
import { destinationContext, localDomains } from '../src/chan-sip/sip-domains.js';
import { peerOf, request, sipConf } from './support/sip-fixtures.js';

const invite = (uri: string, method = 'INVITE'): ReturnType<typeof request> =>
  request(`${method} ${uri} SIP/2.0
Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK1
From: <sip:guest@192.0.2.9>;tag=1
To: <${uri}>
Call-ID: d1
CSeq: 1 ${method}
`);

describe('local domains (chan_sip get_destination(), check_sip_domain())', () => {
  const conf = sipConf(`
[general]
context=public
domain=pbx.example.com,from-pbx
domain=Other.Example.com
allowexternaldomains=no

[own]
type=friend
context=office

[plain]
type=friend
`);

  it('gives a listed domain its context, for guests and devices without a context of their own', () => {
    expect(destinationContext(conf.general, invite('sip:100@PBX.example.com'), undefined)).toEqual({ outcome: 'context', context: 'from-pbx' });
    expect(destinationContext(conf.general, invite('sip:100@pbx.example.com'), peerOf(conf, 'plain'))).toEqual({ outcome: 'context', context: 'from-pbx' });
    expect(destinationContext(conf.general, invite('sip:100@pbx.example.com'), peerOf(conf, 'own'))).toEqual({ outcome: 'context', context: 'office' });
    expect(destinationContext(conf.general, invite('sip:100@other.example.com'), undefined)).toEqual({ outcome: 'context', context: 'public' });
  });

  it('refuses INVITE and REFER to foreign domains with allowexternaldomains=no, not other methods', () => {
    expect(destinationContext(conf.general, invite('sip:100@elsewhere.example.net'), undefined)).toEqual({ outcome: 'refused' });
    expect(destinationContext(conf.general, invite('sip:100@elsewhere.example.net', 'MESSAGE'), undefined)).toEqual({ outcome: 'context', context: 'public' });
    expect(destinationContext(conf.general, invite('tel:+15551234'), undefined)).toEqual({ outcome: 'context', context: 'public' });
  });

  it('accepts any domain without a domain list, and adds our addresses with autodomain', () => {
    const open = sipConf('[general]\n');
    expect(destinationContext(open.general, invite('sip:100@anything.example'), undefined)).toEqual({ outcome: 'context', context: 'default' });
    const auto = sipConf('[general]\nbindaddr=192.0.2.1\nautodomain=yes\nexternaddr=198.51.100.7\n');
    expect(localDomains(auto.general).map((entry) => entry.domain)).toEqual(expect.arrayContaining(['192.0.2.1', '198.51.100.7']));
  });
});
