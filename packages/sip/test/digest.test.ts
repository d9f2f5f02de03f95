import { describe, expect, it } from 'vitest';
import {
  createDigestAuthorization,
  digestHa1,
  digestResponse,
  formatDigestChallenge,
  generateNonce,
  parseAuthHeader,
  selectDigestChallenge,
  SipHeaders,
  SipResponse,
  verifyDigestCredentials,
} from '../src/index.js';

// RFC 2617 §3.5 example (vectors also checked with coreutils md5sum).
const rfc2617 = { username: 'Mufasa', realm: 'testrealm@host.com', password: 'Circle Of Life', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', uri: '/dir/index.html' };

describe('digest computations', () => {
  it('matches RFC 2617 with qop=auth and the RFC 2069 form without', () => {
    const ha1 = digestHa1(rfc2617.username, rfc2617.realm, rfc2617.password);
    expect(ha1).toBe('939e7578ed9e3c518a452acee763bce9');
    expect(digestResponse({ ha1, nonce: rfc2617.nonce, method: 'GET', uri: rfc2617.uri, qop: { cnonce: '0a4f113b', nc: '00000001' } })).toBe('6629fae49393a05397450978507c4ef1');
    expect(digestResponse({ ha1, nonce: rfc2617.nonce, method: 'GET', uri: rfc2617.uri })).toBe('670fd8c2df070c60b045671b8b24ff02');
  });
});

describe('server side (chan_sip check_auth)', () => {
  it("writes chan_sip's challenge", () => {
    expect(formatDigestChallenge({ realm: 'asterisk', nonce: '1a2b3c4d' })).toBe('Digest algorithm=MD5, realm="asterisk", nonce="1a2b3c4d"');
    expect(formatDigestChallenge({ realm: 'asterisk', nonce: '1a2b3c4d', stale: true })).toBe('Digest algorithm=MD5, realm="asterisk", nonce="1a2b3c4d", stale=true');
    expect(generateNonce()).toMatch(/^[0-9a-f]{8}$/);
  });

  const good = 'Digest username="1000", realm="asterisk", nonce="1a2b3c4d", uri="sip:127.0.0.1", response="7D95345E830812C04C1BDAE2CA1E2EC1", algorithm=MD5';
  const base = { method: 'REGISTER', requestUri: 'sip:127.0.0.1', username: '1000', realm: 'asterisk' };

  it('accepts the right response with a secret or an md5secret, case-insensitively', () => {
    expect(verifyDigestCredentials({ ...base, credentials: good, secret: 'secret1000', expectedNonce: '1a2b3c4d' })).toBe('ok');
    expect(verifyDigestCredentials({ ...base, credentials: good, md5secret: '126a31aa8f357cb0b001fbb8f38267df', expectedNonce: '1a2b3c4d' })).toBe('ok');
  });

  it('gives stale, retry and wrong-password as chan_sip does', () => {
    expect(verifyDigestCredentials({ ...base, credentials: good, secret: 'secret1000', expectedNonce: 'ffffffff' })).toBe('stale');
    expect(verifyDigestCredentials({ ...base, credentials: good, secret: 'wrong', expectedNonce: 'ffffffff' })).toBe('retry');
    expect(verifyDigestCredentials({ ...base, credentials: good, secret: 'wrong', expectedNonce: '1a2b3c4d' })).toBe('wrong-password');
    expect(verifyDigestCredentials({ ...base, credentials: good, secret: 'secret1000', expectedNonce: undefined })).toBe('stale');
  });

  it('takes a response of 32 characters but more bytes (non-ASCII) as a wrong password, not an exception', () => {
    const odd = good.replace('7D95345E830812C04C1BDAE2CA1E2EC1', 'é'.repeat(32));
    expect(verifyDigestCredentials({ ...base, credentials: odd, secret: 'secret1000', expectedNonce: '1a2b3c4d' })).toBe('wrong-password');
  });

  it('uses the Request-URI when the credentials have no uri', () => {
    const noUri = good.replace(' uri="sip:127.0.0.1",', '');
    expect(verifyDigestCredentials({ ...base, credentials: noUri, secret: 'secret1000', expectedNonce: '1a2b3c4d' })).toBe('ok');
  });
});

describe('client side (chan_sip build_reply_digest)', () => {
  it('answers a chan_sip challenge without qop', () => {
    const challenge = parseAuthHeader('Digest algorithm=MD5, realm="asterisk", nonce="1a2b3c4d"');
    expect(createDigestAuthorization({ challenge, method: 'REGISTER', requestUri: 'sip:127.0.0.1', username: '1000', secret: 'secret1000' })).toBe(
      'Digest username="1000", realm="asterisk", algorithm=MD5, uri="sip:127.0.0.1", nonce="1a2b3c4d", response="7d95345e830812c04c1bdae2ca1e2ec1"',
    );
  });

  it('uses qop=auth with cnonce and nc when offered, echoes opaque, and verifies against RFC 2617', () => {
    const challenge = parseAuthHeader(`Digest realm="${rfc2617.realm}", qop="auth,auth-int", nonce="${rfc2617.nonce}", opaque="5ccc069c403ebaf9f0171e9517f40e41"`);
    const header = createDigestAuthorization({ challenge, method: 'GET', requestUri: rfc2617.uri, username: rfc2617.username, secret: rfc2617.password, cnonce: '0a4f113b', nonceCount: 1 });
    expect(header).toBe(
      'Digest username="Mufasa", realm="testrealm@host.com", algorithm=MD5, uri="/dir/index.html", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41", qop=auth, cnonce="0a4f113b", nc=00000001',
    );
  });

  it('uses sip:<domain> as digest uri when the challenge has a domain', () => {
    const challenge = parseAuthHeader('Digest realm="p", nonce="n", domain="provider.example"');
    expect(createDigestAuthorization({ challenge, method: 'INVITE', requestUri: 'sip:1@x', username: 'u', secret: 's', secure: true })).toContain('uri="sips:provider.example"');
  });

  it('selects the MD5 challenge of a 401 or 407', () => {
    const response = new SipResponse({ status: 407, reason: 'Proxy Authentication Required', headers: new SipHeaders([
      ['Proxy-Authenticate', 'Digest realm="a", nonce="1", algorithm=SHA-256'],
      ['Proxy-Authenticate', 'Digest realm="b", nonce="2", algorithm=MD5'],
    ]) });
    expect(selectDigestChallenge(response)).toMatchObject({ authorizationHeader: 'Proxy-Authorization', challenge: { params: { realm: 'b' } } });
    expect(selectDigestChallenge(new SipResponse({ status: 401, reason: 'Unauthorized' }))).toBeUndefined();
  });
});
