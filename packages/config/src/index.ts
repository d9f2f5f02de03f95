// The .conf dialect: shared shapes, parser, printer, diagnostics.
export type { ConfCategory, ConfDocument, ConfVariable, Diagnostic, SourceLocation } from './conf-types.js';
export type { ParseConfOptions } from './parser/parse-conf.js';
export { parseConf } from './parser/parse-conf.js';
export type { ConfFileRead, ReadConfFileOptions } from './parser/read-conf-file.js';
export { readConfFile } from './parser/read-conf-file.js';
export type { PrintableCategory } from './parser/print-conf.js';
export { printConf } from './parser/print-conf.js';
export { formatDiagnostic, formatDiagnostics, hasErrors } from './diagnostics/format-diagnostics.js';
export type { ConfigErrorCode } from './config-error.js';
export { ConfigError, requireValidConfig } from './config-error.js';

// The whole config directory.
export type { ConfigLoad, TandemConfig } from './load-config-dir.js';
export { loadConfigDir } from './load-config-dir.js';

// sip.conf.
export type { BuildSipConfOptions } from './sip/build-sip-conf.js';
export { buildSipConf } from './sip/build-sip-conf.js';
export type {
  DirectMediaSetting,
  DtlsSetting,
  InsecureSetting,
  JitterBufferSetting,
  NatSetting,
  OutboundProxy,
  SessionTimerSetting,
  SipConf,
  SipDevice,
  SipDeviceHost,
  SipDomain,
  SipGeneral,
  SipMwiSubscription,
  SipPeerSettings,
  SipRealmAuth,
  SipRegistration,
  SipTransport,
  T38Setting,
  TlsSetting,
} from './sip/sip-conf-types.js';
export type { SipOptionInfo, SipOptionScope, SipOptionStatus } from './sip/sip-options.js';
export { sipOptionTable } from './sip/sip-options.js';
export type { RegisterLineResult } from './sip/register-line.js';
export { parseRegisterLine } from './sip/register-line.js';
export type { CodecKind, CodecPreference } from './sip/codec-preferences.js';
export { applyAllowDisallow, DEFAULT_SIP_CODECS, KNOWN_CODECS } from './sip/codec-preferences.js';
export { UNLIMITED_CALLS } from './sip/sip-drafts.js';

// extensions.conf.
export type { ExtensionsConf, ExtensionsGeneral } from './extensions/extensions-conf.js';
export { buildExtensionsConf, DEFAULT_EXTENSIONS_GENERAL } from './extensions/extensions-conf.js';

// The other files.
export type { IceHostCandidate, RtpConf } from './rtp/rtp-conf.js';
export { buildRtpConf, DEFAULT_RTP_CONF } from './rtp/rtp-conf.js';
export type { EnumConf } from './enum/enum-conf.js';
export { buildEnumConf, DEFAULT_ENUM_CONF } from './enum/enum-conf.js';
export type { ExtconfigConf, RealtimeDriver, RealtimeMapping } from './realtime/extconfig-conf.js';
export { buildExtconfigConf, hasSipRealtime, realtimeMappingsFor } from './realtime/extconfig-conf.js';
export type { RealtimeRequirements } from './realtime/realtime-requirements.js';
export type { MysqlDatabase, ResConfigMysqlConf } from './realtime/res-config-mysql-conf.js';
export { buildResConfigMysqlConf } from './realtime/res-config-mysql-conf.js';
export type { ResPgsqlConf } from './realtime/res-pgsql-conf.js';
export { buildResPgsqlConf, DEFAULT_RES_PGSQL_CONF } from './realtime/res-pgsql-conf.js';
export type { ResConfigSqlite3Conf, Sqlite3Database } from './realtime/res-config-sqlite3-conf.js';
export { buildResConfigSqlite3Conf } from './realtime/res-config-sqlite3-conf.js';
export type { AclConf, NamedAcl } from './acl/acl-conf.js';
export { buildAclConf } from './acl/acl-conf.js';
export type { IndicationsConf, ToneZone } from './indications/indications-conf.js';
export type { MusicOnHoldClass, MusicOnHoldConf, MusicSort } from './musiconhold/musiconhold-conf.js';
export { buildMusicOnHoldConf, DEFAULT_MUSIC_ON_HOLD_CONF, findMusicClass } from './musiconhold/musiconhold-conf.js';
export { buildIndicationsConf, DEFAULT_INDICATIONS_CONF, findToneZone, US_TONE_ZONE } from './indications/indications-conf.js';
export type { AsteriskConf } from './asterisk/asterisk-conf.js';
export { buildAsteriskConf, DEFAULT_ASTERISK_CONF } from './asterisk/asterisk-conf.js';
export type { DnsServer, TandemConf } from './tandem/tandem-conf.js';
export { buildTandemConf, defaultTandemConf } from './tandem/tandem-conf.js';

// Values shared by the models.
export type { AccessControl, HostAccessRule } from './acl/access-control.js';
export { appendAccessLine, OPEN_ACCESS } from './acl/access-control.js';
export type { HostPort, IpFamily, SocketAddress } from './values/ip-address.js';
export type { IpNetwork } from './values/ip-network.js';
export { networkContains, parseIpNetwork } from './values/ip-network.js';
export { isAstFalse, isAstTrue, parseAstBool } from './values/ast-bool.js';
