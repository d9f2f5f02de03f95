import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSipConf, parseConf, parseRegisterLine, readConfFile, sipOptionTable, UNLIMITED_CALLS } from '../src/index.js';
import type { Diagnostic, SipConf, SipDevice } from '../src/index.js';

const CORPUS = join(import.meta.dirname, 'corpus', 'sip');

function sipFromText(text: string): { config: SipConf; diagnostics: Diagnostic[] } {
  const document = parseConf(text, { file: 'sip.conf' });
  expect(document.diagnostics).toEqual([]);
  return buildSipConf(document);
}

function device(config: SipConf, name: string): SipDevice {
  const found = config.devices.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no device ${name}`);
  return found;
}

function messages(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.file}:${d.line} ${d.severity}: ${d.message}`);
}

describe('buildSipConf on the office corpus', () => {
  const { document } = readConfFile(CORPUS, 'sip.conf');
  const { config, diagnostics } = buildSipConf(document);

  it('reads the corpus with only the expected warnings', () => {
    expect(document.diagnostics).toEqual([]);
    expect(messages(diagnostics)).toEqual([
      "sip.d/10-staff.conf:8 warning: the 'username' field for sip peers has been deprecated in favor of the term 'defaultuser'",
      "sip.d/20-users.conf:6 warning: device 'alice' is defined again; chan_sip applies this section on top of the earlier one",
      'sip.conf:31 warning: options parsed but not acted on by Tandem yet: ignoresdpversion (sip.conf:31)',
    ]);
    expect(config.parsedOnlyOptions).toEqual(['ignoresdpversion']);
  });

  it('reads [general] network settings', () => {
    const { general } = config;
    expect(general.udpBindAddress).toEqual({ host: '0.0.0.0', family: 'ipv4', port: 5062 });
    expect(general.tcpEnabled).toBe(true);
    expect(general.tcpBindAddress).toEqual({ host: '0.0.0.0', family: 'ipv4', port: 5070 });
    expect(general.tls.enabled).toBe(false);
    expect(general.tls.bindAddress).toEqual({ host: '0.0.0.0', family: 'ipv4', port: 5061 });
    expect(general.localnet).toEqual([
      { family: 'ipv4', address: '192.168.0.0', prefixLength: 16 },
      { family: 'ipv4', address: '10.0.0.0', prefixLength: 8 },
    ]);
    expect(general.externaddr).toEqual({ host: '203.0.113.5', family: 'ipv4', port: 5062 });
    expect(general.deviceDefaults.transports).toEqual(['udp', 'tcp']);
    expect(general.deviceDefaults.nat).toEqual({ forceRport: true, comedia: true, autoForceRport: false, autoComedia: false });
    expect(general.allowguest).toBe(false);
    expect(general.deviceDefaults.context).toBe('public');
    expect(general.domains).toEqual([{ domain: 'pbx.example.com', context: 'incoming' }]);
    expect(general.deviceDefaults.sessionTimers).toEqual({ mode: 'originate', expires: 600, minSe: 90, refresher: 'uas' });
    expect(general.deviceDefaults.t38).toEqual({ support: 'redundancy', maxDatagram: 400, useRtpSource: false });
    expect(general.deviceDefaults.qualify).toBe(2000);
    expect(general.deviceDefaults.qualifyfreq).toBe(30_000);
    expect(general.useragent).toBe('Tandem PBX');
  });

  it('applies disallow=all then allow lines in order, with framing', () => {
    expect(config.general.deviceDefaults.codecs).toEqual([
      { name: 'ulaw', kind: 'audio', framingMs: 20 },
      { name: 'alaw', kind: 'audio' },
      { name: 'g722', kind: 'audio' },
    ]);
  });

  it('parses register lines in full syntax, once per identical line, plus callbackextension', () => {
    expect(config.registrations.map(({ file, line, column: _column, ...rest }) => ({ at: `${file}:${line}`, ...rest }))).toEqual([
      {
        at: 'sip.conf:23',
        configValue: 'trunkuser:trunkpass@sip.provider.example/4000',
        transport: 'udp',
        user: 'trunkuser',
        secret: 'trunkpass',
        authuser: '',
        host: 'sip.provider.example',
        port: 5060,
        portGiven: false,
        extension: '4000',
        expiry: 300,
      },
      {
        at: 'sip.conf:24',
        configValue: 'tls://alice@example.org:5082:s3cret:alice-auth@registrar.example.org:5061/1000~600',
        transport: 'tls',
        user: 'alice',
        domain: 'example.org',
        domainPort: 5082,
        secret: 's3cret',
        authuser: 'alice-auth',
        host: 'registrar.example.org',
        port: 5061,
        portGiven: true,
        extension: '1000',
        expiry: 600,
      },
      {
        at: 'sip.conf:26',
        configValue: 'trunk?user2:pw@provider.example',
        peer: 'trunk',
        transport: 'udp',
        user: 'user2',
        secret: 'pw',
        authuser: '',
        host: 'provider.example',
        port: 5060,
        portGiven: false,
        extension: 's',
        expiry: 300,
      },
      {
        at: 'sip.conf:55',
        configValue: 'trunk?trunkuser:trunkpass:trunkuser@sip.provider.example/5000',
        peer: 'trunk',
        transport: 'udp',
        user: 'trunkuser',
        secret: 'trunkpass',
        authuser: 'trunkuser',
        host: 'sip.provider.example',
        port: 5060,
        portGiven: false,
        extension: '5000',
        expiry: 300,
      },
    ]);
    expect(config.mwiSubscriptions).toEqual([
      { file: 'sip.conf', line: 27, column: 1, user: '1234', secret: 'password', host: 'mysip.example.com', mailbox: '1234' },
    ]);
  });

  it('reads [authentication]', () => {
    expect(config.authentication).toEqual([
      { file: 'sip.conf', line: 35, column: 1, user: 'trunkuser', secret: 'trunkpass', realm: 'provider-realm' },
      { file: 'sip.conf', line: 36, column: 1, user: 'hashed', md5secret: '0123456789abcdef0123456789abcdef', realm: 'other-realm' },
    ]);
  });

  it('builds devices from templates and multi-level inheritance, skipping templates', () => {
    expect(config.devices.map((d) => d.name)).toEqual(['100', '101', 'alice', 'trunk']);
    const reception = device(config, '100');
    expect(reception).toMatchObject({
      isUser: true,
      isPeer: true,
      host: { kind: 'dynamic' },
      context: 'internal',
      secret: 'changeme',
      callLimit: 2,
      qualify: 1500,
      callerid: { name: 'Reception', number: '100' },
      mailboxes: ['100@default', '100@other'],
      nat: { forceRport: false, comedia: false, autoForceRport: true, autoComedia: false },
      directmedia: { enabled: false, evenBehindNat: false, method: 'invite', outgoing: false },
      sections: [{ file: 'sip.d/10-staff.conf', line: 1, column: 1 }],
    });
    const boss = device(config, '101');
    expect(boss).toMatchObject({
      callLimit: UNLIMITED_CALLS,
      busylevel: 1,
      setvars: [{ name: 'PRIORITY', value: 'high' }],
      callerid: { name: 'Boss', number: '5551234567' },
      defaultuser: 'legacy-boss',
      transports: ['tcp', 'udp'],
    });
  });

  it('merges a repeated device name like build_peer() (user and peer sections)', () => {
    const alice = device(config, 'alice');
    expect(alice).toMatchObject({
      isUser: true,
      isPeer: true,
      secret: 'alice-secret',
      context: 'from-alice',
      host: { kind: 'static', host: '192.0.2.10' },
      setvars: [{ name: 'A', value: '1' }],
    });
    expect(alice.sections.map((s) => `${s.file}:${s.line}`)).toEqual(['sip.d/20-users.conf:1', 'sip.d/20-users.conf:6']);
  });

  it('reads a trunk peer', () => {
    const trunk = device(config, 'trunk');
    expect(trunk).toMatchObject({
      isUser: false,
      isPeer: true,
      port: 5080,
      fromuser: 'trunkuser',
      fromdomain: { host: 'provider.example', port: 5090 },
      insecure: { port: true, invite: true },
      directmedia: { enabled: true, evenBehindNat: false, method: 'invite', outgoing: false },
      outboundproxy: { transport: 'tcp', host: 'proxy.provider.example', port: 5070, force: true },
      sendrpid: 'pai',
      trustrpid: true,
      headers: ['X-Account: 42', 'X-Site: hq'],
    });
    expect(trunk.acl).toEqual({
      rules: [
        { access: 'permit', network: { family: 'ipv4', address: '198.51.100.0', prefixLength: 24 } },
        { access: 'deny', network: { family: 'ipv4', address: '0.0.0.0', prefixLength: 0 } },
      ],
      namedAcls: [],
    });
  });
});

describe('sip.conf option details', () => {
  it('keeps chan_sip defaults for an empty file', () => {
    const { config, diagnostics } = sipFromText('');
    expect(diagnostics).toEqual([]);
    expect(config.general.udpBindAddress).toEqual({ host: '0.0.0.0', family: 'ipv4', port: 5060 });
    expect(config.general.deviceDefaults).toMatchObject({
      context: 'default',
      dtmfmode: 'rfc2833',
      nat: { forceRport: false, comedia: false, autoForceRport: true, autoComedia: false },
      directmedia: { enabled: true, evenBehindNat: false, method: 'invite', outgoing: false },
      codecs: [
        { name: 'ulaw', kind: 'audio' },
        { name: 'alaw', kind: 'audio' },
        { name: 'gsm', kind: 'audio' },
        { name: 'h263', kind: 'video' },
      ],
      timerT1: 500,
      timerB: 32_000,
      qualify: 0,
      keepalive: 0,
      maxforwards: 70,
    });
    expect(config.general).toMatchObject({
      allowguest: true,
      alwaysauthreject: true,
      realm: 'asterisk',
      defaultexpiry: 120,
      minexpiry: 60,
      maxexpiry: 3600,
      srvlookup: true,
    });
  });

  it('takes the realm from asterisk.conf systemname when sip.conf has none', () => {
    const { config } = buildSipConf(parseConf('', { file: 'sip.conf' }), { systemName: 'pbx1' });
    expect(config.general.realm).toBe('pbx1');
  });

  it('parses IPv6 bind addresses and the legacy [general] port alias', () => {
    const { config } = sipFromText('[general]\nbindaddr = [::]:5062\n');
    expect(config.general.udpBindAddress).toEqual({ host: '::', family: 'ipv6', port: 5062 });
    const legacy = sipFromText('[general]\nport = 5070\n');
    expect(legacy.config.general.udpBindAddress.port).toBe(5070);
    const both = sipFromText('[general]\nbindaddr = 127.0.0.2:5080\nbindport = 5090\n');
    expect(both.config.general.udpBindAddress).toEqual({ host: '127.0.0.2', family: 'ipv4', port: 5090 });
    expect(both.diagnostics.map((d) => d.message)).toEqual(['bindport is also specified in bindaddr; using 5090']);
  });

  it('combines nat words like sip_parse_nat_option() (its own test table)', () => {
    const cases: Array<[string, [boolean, boolean, boolean, boolean]]> = [
      ['no', [false, false, false, false]],
      ['force_rport', [true, false, false, false]],
      ['comedia', [false, true, false, false]],
      ['auto_force_rport', [false, false, true, false]],
      ['auto_comedia', [false, false, false, true]],
      ['force_rport,auto_force_rport', [false, false, true, false]],
      ['auto_force_rport,force_rport', [false, false, true, false]],
      ['comedia,auto_comedia', [false, false, false, true]],
      ['auto_comedia,comedia', [false, false, false, true]],
      ['force_rport,comedia', [true, true, false, false]],
      ['force_rport,auto_comedia', [true, false, false, true]],
      ['force_rport,yes,no', [true, true, false, false]],
      ['auto_comedia,no,yes', [false, false, false, false]],
    ];
    for (const [value, [forceRport, comedia, autoForceRport, autoComedia]] of cases) {
      const { config } = buildSipConf(parseConf(`[p]\ntype=peer\nnat=${value}\n`, { file: 'sip.conf' }));
      expect(device(config, 'p').nat, value).toEqual({ forceRport, comedia, autoForceRport, autoComedia });
    }
  });

  it('reads directmedia values', () => {
    const read = (value: string) =>
      device(buildSipConf(parseConf(`[p]\ntype=peer\ndirectmedia=${value}\n`, { file: 'sip.conf' })).config, 'p').directmedia;
    expect(read('yes')).toEqual({ enabled: true, evenBehindNat: true, method: 'invite', outgoing: false });
    expect(read('no')).toEqual({ enabled: false, evenBehindNat: false, method: 'invite', outgoing: false });
    expect(read('nonat')).toEqual({ enabled: true, evenBehindNat: false, method: 'invite', outgoing: false });
    expect(read('update,nonat')).toEqual({ enabled: true, evenBehindNat: false, method: 'update', outgoing: false });
    expect(read('outgoing')).toEqual({ enabled: true, evenBehindNat: false, method: 'invite', outgoing: true });
  });

  it('reproduces the [general] timerb quirk and per-device Timer B', () => {
    const { config, diagnostics } = sipFromText('[general]\ntimert1 = 1000\ntimerb = 40000\n[p]\ntype=peer\ntimerb=12800\n[q]\ntype=peer\ntimert1=700\n');
    // Asterisk 20 ignores the general timerb, then resets T1 from the default Timer B (32000 / 64).
    expect(config.general.deviceDefaults.timerT1).toBe(500);
    expect(config.general.deviceDefaults.timerB).toBe(32_000);
    expect(device(config, 'p')).toMatchObject({ timerT1: 200, timerB: 12_800 });
    expect(device(config, 'q')).toMatchObject({ timerT1: 700, timerB: 44_800 });
    expect(diagnostics.map((d) => `${d.line} ${d.message}`)).toEqual([
      '3 timerb in [general] is parsed but not stored by Asterisk 20: Timer B stays 64 x T1 (set timerb per device)',
      '1 with timerb in [general], Asterisk 20 keeps Timer B at 32000 ms and sets timert1 to 500 ms',
    ]);
  });

  it('reports invalid values as errors, unknown and misplaced options as warnings', () => {
    const { diagnostics } = sipFromText(
      [
        '[general]',
        'allowguest = maybe',
        'colour = blue',
        'secret = misplaced',
        'dtmfmode = smoke',
        'maxforwards = 300',
        'register => no-at-sign',
        'bindaddr = not-an-ip',
        'localnet = 10.0.0.0/255.0.255.0',
        'allow = ulaw,nosuchcodec',
        '[p]',
        'type = peer',
        'bindport = 5060',
        'qualify = often',
        'permit = 10.0.0.0/33',
        'nat = sometimes',
        'frobnicate = 1',
        '[nothing]',
        'host = dynamic',
        '[odd]',
        'type = gateway',
        '[cb]',
        'type = peer',
        'host = dynamic',
        'callbackextension = 77',
      ].join('\n'),
    );
    expect(messages(diagnostics)).toEqual([
      "sip.conf:2 error: invalid value 'maybe' for 'allowguest': expected yes or no",
      "sip.conf:3 warning: unknown option 'colour' in [general] of sip.conf, ignored",
      "sip.conf:4 warning: 'secret' is a device option; it has no effect in [general]",
      "sip.conf:5 error: invalid value 'smoke' for 'dtmfmode': expected rfc2833, info, shortinfo, inband, auto",
      "sip.conf:6 error: invalid value '300' for 'maxforwards': expected a whole number from 1 to 255",
      'sip.conf:7 error: register => no-at-sign: format for registration is [peer?][transport://]user[@domain][:secret[:authuser]]@host[:port][/extension][~expiry]',
      "sip.conf:8 error: invalid value 'not-an-ip' for 'bindaddr': expected an IP address with an optional port, e.g. 0.0.0.0:5060 or [::]:5062",
      "sip.conf:9 error: bad localnet '10.0.0.0/255.0.255.0': netmask '255.0.255.0' is not contiguous (not supported by Tandem)",
      "sip.conf:10 error: cannot allow unknown format 'nosuchcodec' (allow = ulaw,nosuchcodec)",
      "sip.conf:13 warning: 'bindport' is only valid in [general]; ignored in [p]",
      "sip.conf:14 error: invalid value 'often' for 'qualify': expected 'yes', 'no', or a number of milliseconds",
      "sip.conf:15 error: bad ACL entry '10.0.0.0/33': invalid netmask '/33'",
      "sip.conf:16 error: invalid value 'sometimes' for 'nat': expected a comma list of no, force_rport, comedia, auto_force_rport, auto_comedia (or yes)",
      "sip.conf:17 warning: unknown option 'frobnicate' in [p] of sip.conf, ignored",
      "sip.conf:18 warning: section 'nothing' lacks type, skipped",
      "sip.conf:21 error: unknown type 'gateway' for 'odd' in sip.conf (expected peer, user or friend)",
      "sip.conf:22 error: callbackextension on 'cb' needs a static host= to register to",
    ]);
  });

  it('ORs several type= lines of one section', () => {
    const { config } = sipFromText('[both]\ntype=user\ntype=peer\n[peer-only]\ntype=peer\n');
    expect(device(config, 'both')).toMatchObject({ isUser: true, isPeer: true });
    expect(device(config, 'peer-only')).toMatchObject({ isUser: false, isPeer: true });
  });

  it('reads qualify and keepalive words and numbers', () => {
    const { config } = sipFromText('[general]\nqualify=500\n[a]\ntype=peer\nqualify=yes\nkeepalive=yes\n[b]\ntype=peer\nqualify=no\nkeepalive=15\n');
    expect(device(config, 'a')).toMatchObject({ qualify: 500, keepalive: 60 });
    expect(device(config, 'b')).toMatchObject({ qualify: 0, keepalive: 15 });
  });

  it('drops tcp/tls from transports unless enabled', () => {
    const { config, diagnostics } = sipFromText('[general]\ntransport = tls,udp\n[p]\ntype=peer\ntransport=tcp\n');
    expect(config.general.deviceDefaults.transports).toEqual(['udp']);
    expect(device(config, 'p').transports).toEqual(['udp']);
    expect(diagnostics.map((d) => d.message)).toEqual([
      "cannot use 'tls' transport with tlsenable=no; removed from available transports",
      "'tcp' is not a valid transport type when tcpenable=no; it is left out",
      'no usable transport listed; the [general] transports apply',
    ]);
  });
});

describe('parseRegisterLine (chan_sip sip_parse_register_line_test cases)', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['name@domain', { user: 'name', host: 'domain', extension: 's', secret: '', authuser: '', port: 5060, transport: 'udp' }],
    ['name:pass@domain', { user: 'name', secret: 'pass', host: 'domain' }],
    ['name@namedomain:pass:authuser@domain', { user: 'name', domain: 'namedomain', secret: 'pass', authuser: 'authuser', host: 'domain' }],
    ['name@namedomain:pass:authuser@domain/extension', { extension: 'extension' }],
    ['tcp://name@namedomain:pass:authuser@domain/extension', { transport: 'tcp', extension: 'extension' }],
    ['tls://name@namedomain:pass:authuser@domain/extension~111', { transport: 'tls', port: 5061, expiry: 111 }],
    ['peer?tcp://name@namedomain:pass:authuser@domain:1234/extension~111', { peer: 'peer', transport: 'tcp', port: 1234, portGiven: true, expiry: 111 }],
    ['peer?name@namedomain:pass:authuser@domain:1234/extension~111', { peer: 'peer', transport: 'udp', port: 1234, expiry: 111 }],
    ['name@namedomain:4321:pass:authuser@domain', { domain: 'namedomain', domainPort: 4321, secret: 'pass', authuser: 'authuser', host: 'domain' }],
    ['name@namedomain:4321::@domain', { domain: 'namedomain', domainPort: 4321, secret: '', authuser: '', host: 'domain' }],
    ['user@[2001:db8::1]:5070', { host: '[2001:db8::1]', port: 5070 }],
  ];
  for (const [line, expected] of cases) {
    it(line, () => {
      const result = parseRegisterLine(line, 120);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.registration).toMatchObject({ expiry: expected['expiry'] ?? 120, ...expected });
    });
  }
  it('rejects lines without a user and host part', () => {
    expect(parseRegisterLine('peer?name:pass:authuser:1234/extension~111', 120).ok).toBe(false);
    expect(parseRegisterLine('@domin:1234', 120).ok).toBe(false);
    expect(parseRegisterLine('bad/user@host', 120).ok).toBe(false);
  });
});

describe('the option table', () => {
  it('lists each option once with a scope, status and default', () => {
    const table = sipOptionTable();
    const names = table.flatMap((option) => [option.name, ...option.aliases]);
    expect(new Set(names).size).toBe(names.length);
    expect(table.find((option) => option.name === 'directmedia')).toEqual({
      name: 'directmedia',
      aliases: ['canreinvite'],
      scope: 'both',
      status: 'active',
      defaultValue: 'yes',
      syntax: 'yes|no|nonat|update|outgoing',
    });
    expect(table.filter((option) => option.status === 'parsed').map((option) => option.name)).toContain('ignoresdpversion');
  });

  // Audited against packages/pbx, packages/registrar and packages/sip: each option here changes
  // what Tandem does; every other one only parses (and is named in the load warning). A flip
  // belongs in the commit that makes (or stops making) the option act.
  it('marks active exactly the options Tandem acts on', () => {
    expect(sipOptionTable().filter((option) => option.status === 'active').map((option) => option.name)).toEqual([
      'bindaddr', 'bindport', 'port', 'tcpenable', 'tcpbindaddr', 'tlsenable', 'tlsbindaddr', 'tlscertfile', 'tlsprivatekey', 'tlscipher',
      'tlscafile', 'tlsverifyclient', 'tlsdontverifyserver', 'websocket_enabled', 'tcpauthtimeout', 'tcpauthlimit', 'transport', 'srvlookup',
      'outboundproxy', 'externaddr', 'externhost', 'externrefresh', 'externtcpport', 'externtlsport', 'localnet', 'matchexternaddrlocally',
      'media_address', 'rtpbindaddr', 'nat', 'context', 'allowguest', 'alwaysauthreject', 'match_auth_username', 'realm', 'domainsasrealm',
      'domain', 'autocreatepeer', 'contactpermit', 'contactdeny', 'contactacl', 'insecure', 'auth_options_requests', 'defaultexpiry',
      'minexpiry', 'maxexpiry', 'mwiexpiry', 'registertimeout', 'registerattempts', 'register_retry_403', 'register', 'mwi', 'allow',
      'disallow', 'dtmfmode', 'directmedia', 'directrtpsetup', 'progressinband', 'maxcallbitrate', 'videosupport', 'textsupport', 't38pt_udptl', 'qualify', 'qualifyfreq', 'qualifygap', 'qualifypeers', 'keepalive', 'timert1', 'timerb',
      't1min', 'session-timers', 'session-expires', 'session-minse', 'session-refresher', 'maxforwards', 'useragent', 'sdpsession',
      'sdpowner', 'callerid', 'fromdomain', 'fromuser', 'sendrpid', 'trustrpid', 'trust_id_outbound', 'callingpres', 'fullname',
      'cid_number', 'trunkname', 'cid_tag', 'shrinkcallerid', 'use_q850_reason', 'allowoverlap', 'callcounter', 'call-limit', 'busylevel',
      'allowsubscribe', 'allowtransfer', 'useclientcode', 'supportpath', 'pedantic', 'subscribecontext', 'notifyringing', 'notifyhold', 'mwi_from',
      'buggymwi', 'mailbox', 'subscribemwi', 'language', 'tonezone', 'mohinterpret', 'mohsuggest', 'accountcode', 'type', 'host', 'defaultip', 'secret', 'md5secret',
      'remotesecret', 'defaultuser', 'username', 'auth', 'permit', 'deny', 'acl', 'directmediapermit', 'directmediadeny', 'directmediaacl', 'setvar', 'header', 'description', 'callbackextension',
      'rtcachefriends', 'rtupdate', 'rtautoclear', 'rtsavesysname', 'rtsavepath', 'ignoreregexpire',
    ]);
  });
});

describe('a 5,000-peer sip.conf', () => {
  it('reads every peer from a generated file with templates and includes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-sip-'));
    const peers: string[] = ['[base](!)', 'type=friend', 'host=dynamic', 'context=internal', 'disallow=all', 'allow=ulaw', 'ignoresdpversion=yes', ''];
    for (let index = 0; index < 5000; index++) {
      peers.push(`[${2000 + index}](base)`, `secret=pw${index}`, `callerid="User ${index}" <${2000 + index}>`, '');
    }
    writeFileSync(join(dir, 'peers.conf'), peers.join('\n'));
    writeFileSync(join(dir, 'sip.conf'), '[general]\ncontext=public\n#include peers.conf\n');
    const { document } = readConfFile(dir, 'sip.conf');
    const { config, diagnostics } = buildSipConf(document);
    expect(document.diagnostics).toEqual([]);
    // The template's parsed-only line is named once, not once per peer.
    expect(diagnostics.map((d) => d.message)).toEqual(['options parsed but not acted on by Tandem yet: ignoresdpversion (peers.conf:7)']);
    expect(config.devices).toHaveLength(5000);
    expect(config.devices[4999]).toMatchObject({
      name: '6999',
      secret: 'pw4999',
      context: 'internal',
      callerid: { name: 'User 4999', number: '6999' },
      codecs: [{ name: 'ulaw', kind: 'audio' }],
      sections: [{ file: 'peers.conf', line: 20_005, column: 1 }],
    });
  });
});
