export type { ConfCategory, ConfDocument, ConfVariable, Diagnostic, SourceLocation } from './conf-types.js';
export type { ExtensionsConf, ExtensionsGeneral } from './extensions/extensions-conf.js';
export { buildExtensionsConf, DEFAULT_EXTENSIONS_GENERAL } from './extensions/extensions-conf.js';
export { isAstFalse, isAstTrue, parseAstBool } from './values/ast-bool.js';
export type { ParseConfOptions } from './parser/parse-conf.js';
export { parseConf } from './parser/parse-conf.js';
export type { ConfFileRead, ReadConfFileOptions } from './parser/read-conf-file.js';
export { readConfFile } from './parser/read-conf-file.js';
export type { AccessControl, HostAccessRule } from './acl/access-control.js';
export { appendAccessLine, OPEN_ACCESS } from './acl/access-control.js';
export type { HostPort, IpFamily, SocketAddress } from './values/ip-address.js';
export type { IpNetwork } from './values/ip-network.js';
export { networkContains, parseIpNetwork } from './values/ip-network.js';
export type { CodecKind, CodecPreference } from './sip/codec-preferences.js';
export { applyAllowDisallow, DEFAULT_SIP_CODECS, KNOWN_CODECS } from './sip/codec-preferences.js';
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
export type { BuildSipConfOptions } from './sip/build-sip-conf.js';
export { buildSipConf } from './sip/build-sip-conf.js';
export { UNLIMITED_CALLS } from './sip/sip-drafts.js';
