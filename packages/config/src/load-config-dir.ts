import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AclConf } from './acl/acl-conf.js';
import { buildAclConf } from './acl/acl-conf.js';
import type { AccessControl } from './acl/access-control.js';
import type { AsteriskConf } from './asterisk/asterisk-conf.js';
import { buildAsteriskConf } from './asterisk/asterisk-conf.js';
import type { ConfDocument, Diagnostic, SourceLocation } from './conf-types.js';
import { firstCategory, sameName } from './document/category-lookup.js';
import { errorAt, warningAt } from './diagnostics/diagnostic.js';
import type { EnumConf } from './enum/enum-conf.js';
import { buildEnumConf } from './enum/enum-conf.js';
import type { ExtensionsConf } from './extensions/extensions-conf.js';
import { buildExtensionsConf } from './extensions/extensions-conf.js';
import type { IndicationsConf } from './indications/indications-conf.js';
import type { MusicOnHoldConf } from './musiconhold/musiconhold-conf.js';
import { buildMusicOnHoldConf, DEFAULT_MUSIC_ON_HOLD_CONF } from './musiconhold/musiconhold-conf.js';
import { buildIndicationsConf, DEFAULT_INDICATIONS_CONF, findToneZone } from './indications/indications-conf.js';
import { readConfFile } from './parser/read-conf-file.js';
import type { ExtconfigConf } from './realtime/extconfig-conf.js';
import { buildExtconfigConf, realtimeMappingsFor } from './realtime/extconfig-conf.js';
import type { ResConfigMysqlConf } from './realtime/res-config-mysql-conf.js';
import { buildResConfigMysqlConf } from './realtime/res-config-mysql-conf.js';
import type { ResConfigSqlite3Conf } from './realtime/res-config-sqlite3-conf.js';
import { buildResConfigSqlite3Conf } from './realtime/res-config-sqlite3-conf.js';
import type { ResPgsqlConf } from './realtime/res-pgsql-conf.js';
import { buildResPgsqlConf } from './realtime/res-pgsql-conf.js';
import type { RtpConf } from './rtp/rtp-conf.js';
import { buildRtpConf } from './rtp/rtp-conf.js';
import type { SipConf } from './sip/sip-conf-types.js';
import { buildSipConf } from './sip/build-sip-conf.js';
import type { TandemConf } from './tandem/tandem-conf.js';
import { buildTandemConf } from './tandem/tandem-conf.js';

/** Every model Tandem reads from a config directory. */
export interface TandemConfig {
  /** The directory, absolute. */
  readonly configDir: string;
  readonly asterisk: AsteriskConf;
  readonly sip: SipConf;
  /** sip.conf as parsed (realtime rows are built against its `[general]`). */
  readonly sipDocument: ConfDocument;
  readonly extensions: ExtensionsConf;
  readonly rtp: RtpConf;
  readonly enum: EnumConf;
  readonly extconfig: ExtconfigConf;
  readonly resConfigMysql: ResConfigMysqlConf;
  readonly resPgsql: ResPgsqlConf;
  readonly resConfigSqlite3: ResConfigSqlite3Conf;
  readonly acl: AclConf;
  readonly indications: IndicationsConf;
  readonly musicOnHold: MusicOnHoldConf;
  readonly tandem: TandemConf;
  /** The files Tandem looked for and whether each was there. */
  readonly files: readonly { readonly name: string; readonly found: boolean }[];
  /** Absolute paths of every file read, includes too (for change detection on reload). */
  readonly sourceFiles: readonly string[];
}

/** What {@link loadConfigDir} returns: the models and every diagnostic of every file. */
export interface ConfigLoad {
  readonly config: TandemConfig;
  readonly diagnostics: readonly Diagnostic[];
  /**
   * The same diagnostics grouped by the top-level file they concern (`sip.conf`, ...; their
   * includes and cross-file checks count for it; `''` for the directory itself), so a reload
   * of one file (`sip reload`, `dialplan reload`) is judged on that file alone.
   */
  readonly diagnosticsByFile: ReadonlyMap<string, readonly Diagnostic[]>;
}

/** Realtime drivers Tandem implements (extconfig.conf). */
const SUPPORTED_REALTIME_DRIVERS = ['sqlite3', 'mysql', 'pgsql'];

/**
 * Reads every file Tandem knows from `configDir`: asterisk.conf first (for `execincludes`
 * and `systemname`), then sip.conf, extensions.conf, rtp.conf, enum.conf, extconfig.conf,
 * res_config_mysql.conf, res_pgsql.conf, res_config_sqlite3.conf, acl.conf,
 * indications.conf, musiconhold.conf and tandem.conf. Absent optional files give their defaults; a missing
 * sip.conf or extensions.conf is a warning. References between files (named ACLs, tone
 * zones, realtime databases) are checked. Never throws; a load with an error diagnostic
 * must not be applied.
 */
export function loadConfigDir(configDir: string): ConfigLoad {
  const dir = resolve(configDir);
  const diagnostics: Diagnostic[] = [];
  const byFile = new Map<string, Diagnostic[]>();
  const report = (file: string, found: readonly Diagnostic[]): void => {
    diagnostics.push(...found);
    const group = byFile.get(file) ?? [];
    group.push(...found);
    byFile.set(file, group);
  };
  const files: { name: string; found: boolean }[] = [];
  const sourceFiles = new Set<string>();
  if (!isDirectory(dir)) {
    report('', [errorAt({ file: dir, line: 0 }, 'the configuration directory does not exist or is not a directory')]);
  }
  let execIncludes = false;
  // The file being read and built: diagnostics of `build()` count for it.
  let current = '';
  const read = (name: string, required = false): ConfDocument & { found: boolean } => {
    current = name;
    const { document, missing } = readConfFile(dir, name, { execIncludes });
    files.push({ name, found: !missing });
    if (missing && required) report(name, [warningAt({ file: name, line: 0 }, `${name} not found in ${dir}; using an empty one`)]);
    report(name, document.diagnostics);
    for (const source of document.sourceFiles ?? []) sourceFiles.add(source);
    return { ...document, found: !missing };
  };
  const build = <T>(result: { config: T; diagnostics: Diagnostic[] }): T => {
    report(current, result.diagnostics);
    return result.config;
  };
  const asterisk = build(buildAsteriskConf(read('asterisk.conf')));
  execIncludes = asterisk.execIncludes;
  const sipDocument = read('sip.conf', true);
  const sip = build(buildSipConf(sipDocument, asterisk.systemName === undefined ? {} : { systemName: asterisk.systemName }));
  const extensions = build(buildExtensionsConf(read('extensions.conf', true)));
  const rtpDocument = read('rtp.conf');
  const rtp = build(buildRtpConf(rtpDocument));
  const enumConf = build(buildEnumConf(read('enum.conf')));
  const extconfig = build(buildExtconfigConf(read('extconfig.conf')));
  const resConfigMysql = build(buildResConfigMysqlConf(read('res_config_mysql.conf')));
  const resPgsql = build(buildResPgsqlConf(read('res_pgsql.conf')));
  const resConfigSqlite3 = build(buildResConfigSqlite3Conf(read('res_config_sqlite3.conf')));
  const acl = build(buildAclConf(read('acl.conf')));
  // indications.conf absent: Asterisk's [us] zone.
  const indicationsFile = read('indications.conf');
  const indications = indicationsFile.found ? build(buildIndicationsConf(indicationsFile)) : DEFAULT_INDICATIONS_CONF;
  // musiconhold.conf absent: no classes (the PBX then offers its bundled `default`).
  const musicOnHoldFile = read('musiconhold.conf');
  const musicOnHold = musicOnHoldFile.found ? build(buildMusicOnHoldConf(musicOnHoldFile, dir)) : DEFAULT_MUSIC_ON_HOLD_CONF;
  const tandem = build(buildTandemConf(read('tandem.conf'), dir));
  const config: TandemConfig = {
    configDir: dir,
    asterisk,
    sip,
    sipDocument,
    extensions,
    rtp,
    enum: enumConf,
    extconfig,
    resConfigMysql,
    resPgsql,
    resConfigSqlite3,
    acl,
    indications,
    musicOnHold,
    tandem,
    files,
    sourceFiles: [...sourceFiles],
  };
  for (const { file, problem } of crossFileProblems(config, { sip: sipDocument, rtp: rtpDocument })) report(file, [problem]);
  return { config, diagnostics, diagnosticsByFile: byFile };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where `[section] name = ...` mentioning `needle` was written (the last such line), else the
 * file as a whole.
 */
function lineMentioning(doc: ConfDocument, section: string, names: readonly string[], needle: string): SourceLocation {
  const category = firstCategory(doc, section);
  const variable = category?.variables.findLast(
    (candidate) => names.some((name) => sameName(name, candidate.name)) && candidate.value.toLowerCase().includes(needle.toLowerCase()),
  );
  return variable ?? { file: doc.file, line: 0 };
}

/** References from one file to another that do not resolve, each with the file that makes it. */
function crossFileProblems(config: TandemConfig, documents: { sip: ConfDocument; rtp: ConfDocument }): { file: string; problem: Diagnostic }[] {
  const problems: { file: string; problem: Diagnostic }[] = [];
  const inSip = (problem: Diagnostic) => problems.push({ file: 'sip.conf', problem });
  const aclNames = new Set(config.acl.acls.map((acl) => acl.name.toLowerCase()));
  // Named ACLs may also live in realtime (extconfig.conf `acls =>`), which only run time can see.
  const realtimeAcls = realtimeMappingsFor(config.extconfig, 'acls').length > 0;
  const checkAcl = (control: AccessControl, where: (name: string) => SourceLocation, what: string, file = 'sip.conf') => {
    if (realtimeAcls) return;
    for (const name of control.namedAcls) {
      if (!aclNames.has(name.toLowerCase())) {
        // main/acl.c ast_apply_acl(): an ACL that cannot be found is invalid and rejects every address.
        problems.push({ file, problem: warningAt(where(name), `${what} names ACL '${name}', which acl.conf does not define: every address will be rejected`) });
      }
    }
  };
  checkAcl(config.sip.general.contactAcl, (name) => lineMentioning(documents.sip, 'general', ['contactacl'], name), 'contactacl in [general]');
  checkAcl(config.rtp.iceAcl, (name) => lineMentioning(documents.rtp, 'general', ['ice_acl'], name), 'ice_acl', 'rtp.conf');
  checkAcl(config.rtp.stunAcl, (name) => lineMentioning(documents.rtp, 'general', ['stun_acl'], name), 'stun_acl', 'rtp.conf');
  const zoneProblem = (zone: string, where: SourceLocation, what: string) => {
    if (zone !== '' && findToneZone(config.indications, zone) === undefined) {
      inSip(errorAt(where, `unknown country code '${zone}' for tonezone in ${what}; check indications.conf for available country codes`));
    }
  };
  const generalZone = config.sip.general.deviceDefaults.tonezone;
  zoneProblem(generalZone, lineMentioning(documents.sip, 'general', ['tonezone'], generalZone), '[general]');
  const deviceNames = new Set<string>();
  for (const device of config.sip.devices) {
    const where = device.sections[0] ?? { file: 'sip.conf', line: 0 };
    deviceNames.add(device.name);
    checkAcl(device.acl, () => where, `device [${device.name}]`);
    checkAcl(device.contactAcl, () => where, `device [${device.name}] contactacl`);
    checkAcl(device.directmediaAcl, () => where, `device [${device.name}] directmediaacl`);
    if (device.tonezone !== config.sip.general.deviceDefaults.tonezone) zoneProblem(device.tonezone, where, `device [${device.name}]`);
  }
  for (const registration of config.sip.registrations) {
    if (registration.peer !== undefined && !deviceNames.has(registration.peer)) {
      inSip(warningAt(registration, `register => names peer '${registration.peer}', which sip.conf does not define`));
    }
  }
  const inExtconfig = (problem: Diagnostic) => problems.push({ file: 'extconfig.conf', problem });
  for (const mapping of config.extconfig.mappings) {
    if (!SUPPORTED_REALTIME_DRIVERS.includes(mapping.driver)) {
      inExtconfig(errorAt(mapping, `realtime driver '${mapping.driver}' is not supported by Tandem (use ${SUPPORTED_REALTIME_DRIVERS.join(', ')})`));
    } else if (mapping.isStaticFile) {
      inExtconfig(errorAt(mapping, `static realtime mapping of '${mapping.family}' is not supported by Tandem: it reads ${mapping.family} from the config directory`));
    } else if (mapping.driver === 'mysql') {
      for (const database of new Set([mapping.readDatabase, mapping.writeDatabase])) {
        if (!config.resConfigMysql.databases.some((candidate) => candidate.name === database)) {
          inExtconfig(errorAt(mapping, `mysql database '${database}' is not defined in res_config_mysql.conf`));
        }
      }
    } else if (mapping.driver === 'sqlite3') {
      if (!config.resConfigSqlite3.databases.some((candidate) => candidate.name === mapping.database)) {
        inExtconfig(errorAt(mapping, `sqlite3 database '${mapping.database}' is not defined in res_config_sqlite3.conf`));
      }
    }
  }
  return problems;
}
