import { describe, expect, it } from 'vitest';
import {
  buildAclConf,
  buildAsteriskConf,
  buildEnumConf,
  buildExtconfigConf,
  buildIndicationsConf,
  buildResConfigMysqlConf,
  buildRtpConf,
  buildTandemConf,
  DEFAULT_RTP_CONF,
  formatDiagnostics,
  networkContains,
  parseConf,
  parseIpNetwork,
} from '../src/index.js';
import type { ConfDocument, Diagnostic } from '../src/index.js';

function doc(file: string, text: string): ConfDocument {
  const parsed = parseConf(text, { file });
  expect(parsed.diagnostics).toEqual([]);
  return parsed;
}

function lines(diagnostics: readonly Diagnostic[]): string[] {
  return formatDiagnostics(diagnostics).split('\n').filter((line) => line !== '');
}

describe('file models report bad values at their line', () => {
  it('rtp.conf', () => {
    const { config, diagnostics } = buildRtpConf(
      doc('rtp.conf', '[general]\nrtpstart = abc\nrtpend = 900\nrtcpinterval = 100\nstrictrtp = sometimes\nprobation = 1\nstunaddr = [::1\nbogus = 1\n'),
    );
    expect(lines(diagnostics)).toEqual([
      "rtp.conf:2:1: error: invalid value 'abc' for 'rtpstart': expected a whole number from 1024 to 65535",
      "rtp.conf:3:1: error: invalid value '900' for 'rtpend': expected a whole number from 1024 to 65535",
      'rtp.conf:4:1: warning: rtcpinterval 100 is below the minimum; 500 ms is used',
      "rtp.conf:5:1: error: invalid value 'sometimes' for 'strictrtp': expected yes or no",
      "rtp.conf:6:1: error: invalid value '1' for 'probation': expected a whole number of at least 2",
      "rtp.conf:7:1: error: invalid value '[::1' for 'stunaddr': expected host[:port]",
      "rtp.conf:8:1: warning: unknown option 'bogus' in [general] of rtp.conf, ignored",
      'rtp.conf:4:1: warning: options parsed but not acted on by Tandem yet: rtcpinterval (rtp.conf:4), strictrtp (rtp.conf:5), probation (rtp.conf:6), stunaddr (rtp.conf:7)',
    ]);
    expect(config).toMatchObject({ rtpStart: DEFAULT_RTP_CONF.rtpStart, rtpEnd: DEFAULT_RTP_CONF.rtpEnd, rtcpInterval: 500 });
  });

  it('rtp.conf with rtpstart at or after rtpend', () => {
    const { diagnostics } = buildRtpConf(doc('rtp.conf', '[general]\nrtpstart = 20000\nrtpend = 10000\n'));
    expect(lines(diagnostics)).toEqual(['rtp.conf:1:1: error: rtpstart (20000) must be below rtpend (10000)']);
  });

  it('enum.conf, extconfig.conf and res_config_mysql.conf', () => {
    expect(lines(buildEnumConf(doc('enum.conf', '[ienum]\nebl_alg = dns\n')).diagnostics)).toEqual([
      "enum.conf:2:1: error: invalid value 'dns' for 'ebl_alg': expected cc, txt, ebl",
      'enum.conf:2:1: warning: options parsed but not acted on by Tandem yet: [ienum] ebl_alg (enum.conf:2)',
    ]);
    expect(lines(buildExtconfigConf(doc('extconfig.conf', '[settings]\nsippeers => mysql\nsipusers => ldap,"a,b",t,0\n[other]\n')).diagnostics)).toEqual([
      'extconfig.conf:4:1: warning: section [other] of extconfig.conf is ignored (only [settings] is read)',
      "extconfig.conf:2:1: error: extconfig.conf: value 'mysql' has the wrong format (driver,database[,table[,priority]])",
      "extconfig.conf:3:1: warning: 'sipusers' is an Asterisk 1.4 family; chan_sip in Asterisk 20 reads only sippeers and sipregs",
    ]);
    const quoted = buildExtconfigConf(doc('extconfig.conf', '[settings]\nsipusers => ldap,"a,b",t,0\n')).config.mappings[0];
    expect(quoted).toMatchObject({ driver: 'ldap', database: 'a,b', table: 't', priority: 1 });
    expect(lines(buildResConfigMysqlConf(doc('res_config_mysql.conf', '[db]\ndbport = 0\nrequirements = panic\n')).diagnostics)).toEqual([
      "res_config_mysql.conf:2:1: error: invalid value '0' for 'dbport': expected a whole number from 1 to 65535",
      "res_config_mysql.conf:3:1: error: invalid value 'panic' for 'requirements': expected warn, createclose, createchar",
    ]);
  });

  it('acl.conf, indications.conf, asterisk.conf and tandem.conf', () => {
    expect(lines(buildAclConf(doc('acl.conf', '[a]\npermit = 10.0.0.300\nallow = 1.2.3.4\n[A]\n')).diagnostics)).toEqual([
      "acl.conf:2:1: error: bad ACL entry '10.0.0.300': invalid IP address '10.0.0.300'",
      "acl.conf:3:1: warning: unknown option 'allow' in [a] of acl.conf, ignored",
      "acl.conf:4:1: warning: named ACL 'A' is defined twice; the first definition is used",
    ]);
    expect(lines(buildIndicationsConf(doc('indications.conf', '[general]\ncountry = zz\n[de]\ndescription = Germany\nringcadence = 1000,x\ndial = 425\nbusy = tone!\n')).diagnostics)).toEqual([
      "indications.conf:5:1: error: invalid ringcadence given 'x'",
      "indications.conf:7:1: error: invalid tone part 'tone!' in 'busy'",
      "indications.conf:2:1: warning: unable to set the default country 'zz': no such zone",
    ]);
    expect(lines(buildAsteriskConf(doc('asterisk.conf', '[options]\nexecincludes = perhaps\n')).diagnostics)).toEqual([
      "asterisk.conf:2:1: error: invalid value 'perhaps' for 'execincludes': expected yes or no",
    ]);
    expect(lines(buildTandemConf(doc('tandem.conf', '[general]\ndnsservers = dns.example\n[media]\nthreads = 0\n[http]\nport = 70000\n'), '/etc/tandem').diagnostics)).toEqual([
      "tandem.conf:2:1: error: invalid value 'dns.example' for 'dnsservers': expected a comma list of ip[:port] (IPv6 as [addr]:port)",
      "tandem.conf:4:1: error: invalid value '0' for 'threads': expected a whole number of at least 1",
      "tandem.conf:6:1: error: invalid value '70000' for 'port': expected a whole number from 1 to 65535",
      'tandem.conf:6:1: warning: options parsed but not acted on by Tandem yet: [http] port (tandem.conf:6)',
    ]);
  });
});

describe('IP networks', () => {
  it('parses CIDR and dotted masks and matches addresses of the same family', () => {
    const network = parseIpNetwork('192.168.0.0/255.255.0.0');
    expect(network).toEqual({ ok: true, network: { family: 'ipv4', address: '192.168.0.0', prefixLength: 16 } });
    if (!network.ok) return;
    expect(networkContains(network.network, '192.168.44.1')).toBe(true);
    expect(networkContains(network.network, '192.169.0.1')).toBe(false);
    expect(networkContains(network.network, '::1')).toBe(false);
    const v6 = parseIpNetwork('2001:db8::/ffff:ffff::');
    expect(v6).toEqual({ ok: true, network: { family: 'ipv6', address: '2001:db8::', prefixLength: 32 } });
    expect(parseIpNetwork('::ffff:10.1.2.3')).toEqual({ ok: true, network: { family: 'ipv4', address: '10.1.2.3', prefixLength: 32 } });
    expect(parseIpNetwork('10.0.0.0/255.255.255.0/1')).toMatchObject({ ok: false });
  });
});
