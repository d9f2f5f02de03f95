import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_ENUM_CONF,
  DEFAULT_INDICATIONS_CONF,
  DEFAULT_RES_PGSQL_CONF,
  DEFAULT_RTP_CONF,
  formatDiagnostics,
  hasErrors,
  loadConfigDir,
  realtimeMappingsFor,
  requireValidConfig,
} from '../src/index.js';

const FULL = join(import.meta.dirname, 'corpus', 'full');

describe('loadConfigDir', () => {
  const { config, diagnostics } = loadConfigDir(FULL);
  const lines = formatDiagnostics(diagnostics).split('\n');

  it('lists each problem of each file as file:line:column: severity: message', () => {
    expect(lines).toEqual([
      'asterisk.conf: warning: asterisk.conf settings Tandem does not use: verbose',
      'extensions.conf:2:1: warning: options parsed but not acted on by Tandem yet: static (extensions.conf:2), writeprotect (extensions.conf:3)',
      "rtp.conf:13:1: warning: 'rtpend' repeated in [general] of rtp.conf: the first value is used",
      'rtp.conf:1:1: warning: odd start value for RTP port in rtp.conf, rounding up to 10002',
      'rtp.conf:4:1: warning: options parsed but not acted on by Tandem yet: rtcpinterval (rtp.conf:4), strictrtp (rtp.conf:5), probation (rtp.conf:6), dtmftimeout (rtp.conf:7), rtpchecksums (rtp.conf:8), icesupport (rtp.conf:9), stunaddr (rtp.conf:10), ice_deny (rtp.conf:11), ice_acl (rtp.conf:12), [ice_host_candidates] (rtp.conf:16)',
      "enum.conf:4:1: warning: 'h323driver' is an Asterisk 1.2 option that Tandem (like Asterisk 20) ignores",
      'enum.conf:7:1: warning: options parsed but not acted on by Tandem yet: [ienum] branchlabel (enum.conf:7), [ienum] ebl_alg (enum.conf:8), search (enum.conf:2, 2 lines)',
      "extconfig.conf:5:1: warning: the 'sipfriends' table is obsolete, update your config to use sippeers instead",
      'res_config_sqlite3.conf:8:1: error: must specify dbfile in res_config_sqlite3.conf (database [nofile])',
      "indications.conf:16:1: warning: indication country 'broken' is invalid (it needs a description and a tone); ignored",
      'tandem.conf:9:1: warning: options parsed but not acted on by Tandem yet: [http] enabled (tandem.conf:9), [http] bindaddr (tandem.conf:10), [http] port (tandem.conf:11)',
      'tandem.conf:18:1: warning: unknown section [extra] in tandem.conf, ignored',
    ]);
    expect(hasErrors(diagnostics)).toBe(true);
    expect(() => requireValidConfig({ config, diagnostics })).toThrow(ConfigError);
  });

  it('reads asterisk.conf first: systemname becomes the realm, execincludes is on', () => {
    expect(config.asterisk).toEqual({ execIncludes: true, systemName: 'pbx-east' });
    expect(config.sip.general.realm).toBe('pbx-east');
    expect(config.files.every((file) => file.found)).toBe(true);
    expect(config.sourceFiles).toContain(join(FULL, 'extensions.d', 'outbound.conf'));
    expect(config.sourceFiles).toHaveLength(14);
  });

  it('builds extensions.conf with globals merged and templates skipped', () => {
    expect(config.extensions.general).toEqual({
      static: true,
      writeprotect: false,
      autofallthrough: false,
      extenpatternmatchnew: false,
      clearglobalvars: true,
      userscontext: 'default',
    });
    expect(config.extensions.globals.map((v) => `${v.name}=${v.value}`)).toEqual(['TRUNK=SIP/trunk', 'CONSOLE=Console/dsp', 'LATE=1']);
    expect(config.extensions.contexts.map((c) => `${c.name}@${c.file}:${c.line}`)).toEqual([
      'internal@extensions.conf:11',
      'outbound@extensions.d/outbound.conf:1',
    ]);
    expect(config.extensions.contexts[1]?.variables.map((v) => v.name)).toEqual(['exten', 'ignorepat', 'switch']);
  });

  it('builds rtp.conf', () => {
    expect(config.rtp).toMatchObject({
      rtpStart: 10_002,
      rtpEnd: 10_100,
      rtcpInterval: 1000,
      strictRtp: 'seqno',
      probation: 6,
      dtmfTimeout: 3000,
      rtpChecksums: false,
      iceSupport: false,
      stunAddress: { host: 'stun.example.org', port: 3478 },
      iceAcl: {
        rules: [{ access: 'deny', network: { family: 'ipv4', address: '192.168.0.0', prefixLength: 16 } }],
        namedAcls: ['office'],
      },
      iceHostCandidates: [
        {
          local: { host: '192.168.1.10', family: 'ipv4' },
          advertised: { host: '203.0.113.10', family: 'ipv4' },
          includeLocalAddress: true,
        },
      ],
    });
  });

  it('builds enum.conf with the 1.2 search list', () => {
    expect(config.enum).toEqual({ branchLabel: 'x', eblAlgorithm: 'txt', searchSuffixes: ['e164.example.net', 'e164.arpa'] });
  });

  it('builds extconfig.conf with priorities, mysql read/write pairs and the sipfriends alias', () => {
    expect(realtimeMappingsFor(config.extconfig, 'sipregs').map((m) => `${m.driver}:${m.database}:${m.table}:${m.priority}`)).toEqual([
      'pgsql:general:sipregs_backup:1',
      'mysql:readhost/writehost:sipregs:2',
    ]);
    expect(config.extconfig.mappings[1]).toMatchObject({ readDatabase: 'readhost', writeDatabase: 'writehost' });
    expect(realtimeMappingsFor(config.extconfig, 'sippeers').map((m) => `${m.driver}:${m.database}:${m.table}`)).toEqual([
      'sqlite3:peers:sip_peers',
      'mysql:readhost:sipfriends',
    ]);
  });

  it('builds the realtime driver files', () => {
    expect(config.resConfigMysql.databases.map(({ file: _f, line: _l, ...rest }) => rest)).toEqual([
      { name: 'readhost', host: '10.0.0.5', database: 'asterisk', user: 'reader', password: 'secret', port: 3307, socket: '/tmp/mysql.sock', charset: '', requirements: 'createchar' },
      { name: 'writehost', host: '10.0.0.6', database: 'asterisk', user: '', password: '', port: 3306, socket: '/var/run/mysqld.sock', charset: '', requirements: 'warn' },
    ]);
    // The current option names win over the legacy ones.
    expect(config.resPgsql).toEqual({
      ...DEFAULT_RES_PGSQL_CONF,
      hostname: 'db.example',
      port: 5433,
      dbname: 'pbx',
      user: 'tandem',
      password: 'legacy-pass',
      requirements: 'createclose',
    });
    expect(config.resConfigSqlite3.databases.map(({ file: _f, line: _l, ...rest }) => rest)).toEqual([
      { name: 'peers', dbfile: '/var/lib/tandem/realtime.sqlite3', requirements: 'warn', batchMs: 0, debug: false, busyTimeoutMs: 2500 },
    ]);
  });

  it('builds acl.conf with ordered rules and negation', () => {
    expect(config.acl.acls.map((acl) => [acl.name, acl.rules.map((r) => `${r.access} ${r.network.address}/${r.network.prefixLength}`)])).toEqual([
      ['office', ['deny 0.0.0.0/0', 'permit 10.1.0.0/16', 'permit 2001:db8::/32', 'deny 10.1.2.3/32']],
    ]);
  });

  it('builds indications.conf and tandem.conf', () => {
    expect(config.indications.defaultCountry).toBe('fr');
    expect(config.indications.zones.map((zone) => zone.country)).toEqual(['fr', 'us']);
    expect(config.indications.zones[0]).toEqual({
      country: 'fr',
      description: 'France',
      ringCadence: [1500, 3500],
      tones: { dial: '440', busy: '440/500,0/500', ring: '440/1500,0/3500' },
    });
    expect(config.tandem).toEqual({
      dnsServers: [
        { host: '127.0.0.1', port: 5353 },
        { host: '::1', port: 53 },
      ],
      soundsDir: join(FULL, 'sounds'),
      media: { threads: 3 },
      http: { enabled: true, bindAddress: { host: '127.0.0.5', family: 'ipv4', port: 9090 } },
      security: { authFailureLimit: 10, authFailureWindowSeconds: 30, blockSeconds: 300 },
    });
  });
});

describe('loadConfigDir on sparse directories', () => {
  function dirWith(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-load-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  it('uses defaults for absent files and warns about missing sip.conf and extensions.conf', () => {
    const { config, diagnostics } = loadConfigDir(dirWith({}));
    expect(formatDiagnostics(diagnostics).replace(/ in \S+;/g, ' in DIR;').split('\n')).toEqual([
      'sip.conf: warning: sip.conf not found in DIR; using an empty one',
      'extensions.conf: warning: extensions.conf not found in DIR; using an empty one',
    ]);
    expect(config.rtp).toEqual(DEFAULT_RTP_CONF);
    expect(config.enum).toEqual(DEFAULT_ENUM_CONF);
    expect(config.indications).toEqual(DEFAULT_INDICATIONS_CONF);
    expect(config.tandem.media.threads).toBe(availableParallelism());
    expect(config.sip.devices).toEqual([]);
    expect(requireValidConfig({ config, diagnostics }).config).toBe(config);
  });

  it('checks references between files', () => {
    const dir = dirWith({
      'sip.conf': '[general]\ntonezone = xx\n[p]\ntype=peer\nacl=nowhere\n',
      'extensions.conf': '',
      'extconfig.conf': '[settings]\nsippeers => odbc,asterisk\nsip.conf => sqlite3,db\nsipregs => sqlite3,missing\n',
      'res_config_sqlite3.conf': '[db]\ndbfile=/tmp/x.sqlite3\n',
    });
    const { diagnostics } = loadConfigDir(dir);
    expect(formatDiagnostics(diagnostics).split('\n')).toEqual([
      "sip.conf:2:1: error: unknown country code 'xx' for tonezone in [general]; check indications.conf for available country codes",
      "sip.conf:3:1: warning: device [p] names ACL 'nowhere', which acl.conf does not define: every address will be rejected",
      "extconfig.conf:2:1: error: realtime driver 'odbc' is not supported by Tandem (use sqlite3, mysql, pgsql)",
      "extconfig.conf:3:1: error: static realtime mapping of 'sip.conf' is not supported by Tandem: it reads sip.conf from the config directory",
      "extconfig.conf:4:1: error: sqlite3 database 'missing' is not defined in res_config_sqlite3.conf",
    ]);
  });

  it('reports a missing directory as an error instead of throwing', () => {
    const { diagnostics } = loadConfigDir(join(tmpdir(), 'tandem-no-such-dir-for-tests'));
    expect(diagnostics[0]).toMatchObject({ severity: 'error', message: 'the configuration directory does not exist or is not a directory' });
  });
});
