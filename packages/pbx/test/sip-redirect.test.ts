import { describe, expect, it } from 'vitest';
import { redirectContact } from '../src/chan-sip/sip-redirect.js';

describe('the 302 Contact of Transfer() (chan_sip sip_sipredirect())', () => {
  it('takes the domain from the To header when the destination has none', () => {
    expect(redirectContact('9999', '<sip:215@10.0.0.1:5060>;tag=x')).toBe('Transfer <sip:9999@10.0.0.1:5060>');
    expect(redirectContact('9999', '"Bob" <sips:bob@example.com;transport=tls>')).toBe('Transfer <sip:9999@example.com>');
  });

  it('keeps a given domain, and refuses a missing extension or a To without a host', () => {
    expect(redirectContact('9999@other.example', '<sip:215@10.0.0.1>')).toBe('Transfer <sip:9999@other.example>');
    expect(redirectContact('', '<sip:215@10.0.0.1>')).toBeUndefined();
    expect(redirectContact('@example.com', '<sip:215@10.0.0.1>')).toBeUndefined();
    expect(redirectContact('9999', '<sip:10.0.0.1>')).toBeUndefined();
  });
});
