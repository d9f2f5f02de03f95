import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DigestAuthenticator, PeerDirectory } from '@tandem/registrar';
import { createDigestAuthorization, selectDigestChallenge, type SipRequest, type SipResponse } from '@tandem/sip';
import { AuthFailureGuard } from '../src/chan-sip/auth-failure-guard.js';
import { checkCaller, type CallerMatching, type CallerCheck } from '../src/chan-sip/device-matching.js';
import { NamedAclResolver } from '../src/chan-sip/named-acls.js';
import { CapturingLogger, configDir, request } from './support/sip-fixtures.js';

const SIP_CONF = `
[general]
allowguest=no
alwaysauthreject=yes
realm=tandem

[alice]
type=friend
host=dynamic
secret=alicepw

[gateway]
type=peer
host=127.0.0.7
port=5061
insecure=invite
context=from-gateway

[office]
type=friend
host=dynamic
secret=officepw
deny=0.0.0.0/0
permit=10.0.0.0/8

[named]
type=friend
host=dynamic
acl=local_only,rt_no_5

[presence]
type=peer
host=dynamic
secret=presencepw
`;

const ACL_CONF = `
[local_only]
deny=0.0.0.0/0
permit=127.0.0.0/8
`;

interface Harness {
  readonly matching: CallerMatching;
  readonly logger: CapturingLogger;
  readonly guard: AuthFailureGuard;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function harness(files: Record<string, string>, guardLimit = 0): Promise<Harness> {
  const dir = configDir(files);
  cleanups.push(() => dir[Symbol.dispose]());
  const logger = new CapturingLogger();
  const directory = new PeerDirectory({ sipConf: dir.config.sip, logger });
  cleanups.push(() => directory.close());
  await directory.resolveStaticAddresses();
  const namedAcls = new NamedAclResolver(dir.config, dir.dir, logger);
  cleanups.push(() => namedAcls.close());
  const guard = new AuthFailureGuard({ authFailureLimit: guardLimit, authFailureWindowSeconds: 60, blockSeconds: 600 }, logger);
  const matching: CallerMatching = {
    general: dir.config.sip.general,
    directory,
    registrar: { authenticator: new DigestAuthenticator({ realm: dir.config.sip.general.realm, userAgent: 'Tandem' }) },
    logger,
    authFailures: guard,
    namedAcls,
  };
  return { matching, logger, guard };
}

let callCounter = 0;

/** A new dialog's request from `user` at `address:port`. */
function from(user: string, address = '127.0.0.1', port = 5062, method = 'INVITE'): (cseq: number, authorization?: string) => SipRequest {
  const callId = `call-${(callCounter += 1)}`;
  return (cseq, authorization) =>
    request(
      `${method} sip:100@127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP ${address}:${port};branch=z9hG4bK${callId}-${cseq}
From: <sip:${user}@${address}>;tag=${callId}
To: <sip:100@127.0.0.1>
Call-ID: ${callId}
CSeq: ${cseq} ${method}
Contact: <sip:${user}@${address}:${port}>
${authorization === undefined ? '' : `Authorization: ${authorization}\n`}`,
      { address, port },
    );
}

/** Answers the 401 of `check` as `username` with `secret`. */
function answer(check: CallerCheck, username: string, secret: string, method = 'INVITE'): string {
  expect(check.outcome).toBe('challenged');
  const selected = selectDigestChallenge((check as { response: SipResponse }).response);
  if (selected === undefined) throw new Error('no challenge');
  return createDigestAuthorization({ challenge: selected.challenge, method, requestUri: 'sip:100@127.0.0.1', username, secret });
}

describe('matching and authenticating callers (chan_sip check_user_full)', () => {
  it('challenges a friend with a secret, then accepts the right digest', async () => {
    const { matching } = await harness({ 'sip.conf': SIP_CONF });
    const next = from('alice');
    const challenge = await checkCaller(matching, next(1), next(1).source!);
    expect((challenge as { response: SipResponse }).response.status).toBe(401);
    const accepted = await checkCaller(matching, next(2, answer(challenge, 'alice', 'alicepw')), next(2).source!);
    expect(accepted).toMatchObject({ outcome: 'accepted', peer: { name: 'alice' } });
  });

  it('refuses a wrong password with 403 and the NOTICE fail2ban reads', async () => {
    const { matching, logger } = await harness({ 'sip.conf': SIP_CONF });
    const next = from('alice');
    const challenge = await checkCaller(matching, next(1), next(1).source!);
    const refused = await checkCaller(matching, next(2, answer(challenge, 'alice', 'wrong')), next(2).source!);
    expect(refused).toMatchObject({ outcome: 'refused', failure: 'secretFailed', response: { status: 403 } });
    expect(logger.asterisk('NOTICE')).toEqual(['Failed to authenticate device <sip:alice@127.0.0.1>;tag=call-2 for INVITE, code = -1']);
  });

  it('answers unknown users exactly like known ones with alwaysauthreject (401, then 403)', async () => {
    const { matching } = await harness({ 'sip.conf': SIP_CONF });
    const known = from('alice');
    const unknown = from('mallory');
    const knownChallenge = await checkCaller(matching, known(1), known(1).source!);
    const unknownChallenge = await checkCaller(matching, unknown(1), unknown(1).source!);
    const headerNames = (check: CallerCheck): string[] => [...(check as { response: SipResponse }).response.headers].map((field) => field.name);
    expect(headerNames(unknownChallenge)).toEqual(headerNames(knownChallenge));
    const knownRefusal = await checkCaller(matching, known(2, answer(knownChallenge, 'alice', 'guess')), known(2).source!);
    const unknownRefusal = await checkCaller(matching, unknown(2, answer(unknownChallenge, 'mallory', 'guess')), unknown(2).source!);
    expect(knownRefusal).toMatchObject({ outcome: 'refused', response: { status: 403 } });
    expect(unknownRefusal).toMatchObject({ outcome: 'refused', response: { status: 403 } });
    expect(headerNames(unknownRefusal)).toEqual(headerNames(knownRefusal));
  });

  it('refuses unknown users at once without alwaysauthreject, and accepts them as guests with allowguest', async () => {
    const strict = await harness({ 'sip.conf': SIP_CONF.replace('alwaysauthreject=yes', 'alwaysauthreject=no') });
    const next = from('mallory');
    expect(await checkCaller(strict.matching, next(1), next(1).source!)).toMatchObject({ outcome: 'refused', response: { status: 403 } });
    const open = await harness({ 'sip.conf': SIP_CONF.replace('allowguest=no', 'allowguest=yes') });
    expect(await checkCaller(open.matching, next(1), next(1).source!)).toEqual({ outcome: 'accepted', peer: undefined });
  });

  it('refuses a digest username other than the device name (code -2)', async () => {
    const { matching, logger } = await harness({ 'sip.conf': SIP_CONF });
    const next = from('alice');
    const challenge = await checkCaller(matching, next(1), next(1).source!);
    const refused = await checkCaller(matching, next(2, answer(challenge, 'bob', 'alicepw')), next(2).source!);
    expect(refused).toMatchObject({ outcome: 'refused', failure: 'usernameMismatch', response: { status: 403 } });
    expect(logger.asterisk('NOTICE')[0]).toMatch(/code = -2$/);
  });

  it('matches a peer by source address; insecure=invite skips authentication', async () => {
    const { matching } = await harness({ 'sip.conf': SIP_CONF });
    const next = from('anyone', '127.0.0.7', 5061);
    expect(await checkCaller(matching, next(1), next(1).source!)).toMatchObject({ outcome: 'accepted', peer: { name: 'gateway' } });
    const otherPort = from('anyone', '127.0.0.7', 5099);
    expect(await checkCaller(matching, otherPort(1), otherPort(1).source!)).toMatchObject({ outcome: 'challenged' });
  });

  it('refuses a device whose ACL denies the source (code -7), before any challenge', async () => {
    const { matching, logger } = await harness({ 'sip.conf': SIP_CONF });
    const next = from('office');
    expect(await checkCaller(matching, next(1), next(1).source!)).toMatchObject({ outcome: 'refused', failure: 'aclFailed', response: { status: 403 } });
    expect(logger.asterisk('NOTICE')[0]).toMatch(/for INVITE, code = -7$/);
  });

  it('matches SUBSCRIBE by name among all devices, type=peer included', async () => {
    const { matching } = await harness({ 'sip.conf': SIP_CONF });
    const subscribe = from('presence', '127.0.0.1', 5062, 'SUBSCRIBE');
    expect(await checkCaller(matching, subscribe(1), subscribe(1).source!)).toMatchObject({ outcome: 'challenged' });
    const invite = from('presence');
    // An INVITE matches users only, so this is an unknown sender (the bogus peer's challenge).
    const challenge = await checkCaller(matching, invite(1), invite(1).source!);
    expect(await checkCaller(matching, invite(2, answer(challenge, 'presence', 'presencepw')), invite(2).source!)).toMatchObject({ outcome: 'refused' });
  });

  it('counts refusals per source address for brute-force blocking', async () => {
    const { matching, guard } = await harness({ 'sip.conf': SIP_CONF }, 2);
    for (let i = 0; i < 2; i++) {
      const next = from('office', '192.0.2.10');
      await checkCaller(matching, next(1), next(1).source!);
    }
    expect(guard.isBlocked('192.0.2.10')).toBe(true);
  });
});

describe('named ACLs from acl.conf and realtime (main/named_acl.c)', () => {
  it('reads acl.conf and realtime `acls` rows; an ACL found nowhere denies everything', async () => {
    const files = {
      'sip.conf': SIP_CONF,
      'acl.conf': ACL_CONF,
      'extconfig.conf': '[settings]\nacls => sqlite3,asterisk,acltable\n',
      'res_config_sqlite3.conf': '[asterisk]\ndbfile => realtime.sqlite3\n',
    };
    const dir = configDir(files);
    cleanups.push(() => dir[Symbol.dispose]());
    execFileSync('sqlite3', [join(dir.dir, 'realtime.sqlite3')], {
      input: `CREATE TABLE acltable (systemname TEXT, rule TEXT, sense TEXT, rule_order NUMERIC, name TEXT);
INSERT INTO acltable VALUES(NULL,'127.0.0.5','deny',0,'rt_no_5');
INSERT INTO acltable VALUES(NULL,'0.0.0.0/0','deny',1,'rt_ordered');
INSERT INTO acltable VALUES(NULL,'127.0.0.9','permit',2,'rt_ordered');
INSERT INTO acltable VALUES(NULL,'not an address','permit',0,'rt_broken');
`,
    });
    const logger = new CapturingLogger();
    const resolver = new NamedAclResolver(dir.config, dir.dir, logger);
    cleanups.push(() => resolver.close());
    const control = (names: string[]): { rules: []; namedAcls: string[] } => ({ rules: [], namedAcls: names });
    expect(await resolver.allows(control(['local_only', 'rt_no_5']), '127.0.0.1')).toBe(true);
    expect(await resolver.allows(control(['local_only', 'rt_no_5']), '127.0.0.5')).toBe(false);
    expect(await resolver.allows(control(['local_only']), '192.0.2.1')).toBe(false);
    expect(await resolver.allows(control(['rt_ordered']), '127.0.0.9')).toBe(true);
    expect(await resolver.allows(control(['rt_ordered']), '127.0.0.8')).toBe(false);
    expect(await resolver.allows(control(['undefined_acl']), '127.0.0.1')).toBe(false);
    expect(await resolver.allows(control(['rt_broken']), '127.0.0.1')).toBe(false);
    expect(logger.asterisk('ERROR')).toEqual(["Rejecting realtime ACL due to bad ACL definition 'rt_broken': 0 - permit - not an address"]);
  });
});
