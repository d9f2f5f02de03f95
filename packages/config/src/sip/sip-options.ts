import type { Applier } from './option-appliers.js';
import { booleanField, choiceField, commaItems, integerField, onDefaults, stringField } from './option-appliers.js';
import { invalid, readBoolOr, readInteger } from '../values/value-readers.js';
import type { DeviceDraft, GeneralDraft, PeerDraft } from './sip-drafts.js';
import { UNLIMITED_CALLS } from './sip-drafts.js';
import {
  accessLineApplier,
  applyDeviceTimerB,
  applyDeviceTimerT1,
  applyDirectMedia,
  applyFaxDetect,
  applyGeneralTimerB,
  applyGeneralTimerT1,
  applyInsecure,
  applyKeepalive,
  applyNat,
  applyQualify,
  applySendRpid,
  applySessionExpires,
  applySessionMinSe,
  applySessionRefresher,
  applySessionTimerMode,
  applyT38Udptl,
  applyTransports,
  codecListApplier,
  parseCallingPres,
  parseCos,
  parseFromDomain,
  parseGroups,
  parseMethods,
  parseOutboundProxy,
  parseRealmAuth,
  parseTos,
  readSocketAddress,
  splitCallerId,
} from './sip-value-appliers.js';
import { applyGeneralMwi, applyGeneralRegister } from './register-line.js';
import { parseIpNetwork } from '../values/ip-network.js';
import { parsePort } from '../values/integers.js';
import type { HostPort } from '../values/ip-address.js';
import type { OutboundProxy } from './sip-conf-types.js';

/**
 * Whether Tandem acts on an option (`active`) or only parses it (`parsed`). Parsed-only
 * options present in a sip.conf are named in one warning at load.
 */
export type SipOptionStatus = 'active' | 'parsed';

/** Where an option may be written. */
export type SipOptionScope = 'general' | 'device' | 'both';

/** One sip.conf option: where it goes, how it is read, Asterisk's default and Tandem's status. */
export interface SipOptionSpec {
  /** Canonical (lower-case) name. */
  readonly name: string;
  /** Other spellings chan_sip accepts. */
  readonly aliases: readonly string[];
  readonly scope: SipOptionScope;
  readonly status: SipOptionStatus;
  /** Asterisk 20's default, as text. */
  readonly defaultValue: string;
  /** What the value looks like. */
  readonly syntax: string;
  /** Reads the option in `[general]` (absent for device-only options). */
  readonly inGeneral?: Applier<GeneralDraft>;
  /** Reads the option in a device section (absent for general-only options). */
  readonly inDevice?: Applier<DeviceDraft>;
}

type Status = SipOptionStatus;

function general(name: string, status: Status, defaultValue: string, syntax: string, apply: Applier<GeneralDraft>, aliases: string[] = []): SipOptionSpec {
  return { name, aliases, scope: 'general', status, defaultValue, syntax, inGeneral: apply };
}

function device(name: string, status: Status, defaultValue: string, syntax: string, apply: Applier<DeviceDraft>, aliases: string[] = []): SipOptionSpec {
  return { name, aliases, scope: 'device', status, defaultValue, syntax, inDevice: apply };
}

/** A G+P option read the same way in `[general]` (into the device defaults) and in a device. */
function both(name: string, status: Status, defaultValue: string, syntax: string, apply: Applier<PeerDraft>, aliases: string[] = []): SipOptionSpec {
  return { name, aliases, scope: 'both', status, defaultValue, syntax, inGeneral: onDefaults(apply), inDevice: apply };
}

/** An option both scopes know but read differently. */
function split(
  name: string,
  status: Status,
  defaultValue: string,
  syntax: string,
  inGeneral: Applier<GeneralDraft>,
  inDevice: Applier<DeviceDraft>,
  aliases: string[] = [],
): SipOptionSpec {
  return { name, aliases, scope: 'both', status, defaultValue, syntax, inGeneral, inDevice };
}

const BOOL = 'yes|no';
const INT = 'integer';
const TEXT = 'text';

const bindAddress: Applier<GeneralDraft> = (target, value, context) => {
  const address = readSocketAddress(value, context);
  if (address !== undefined) target.bindaddr = address;
};

const bindPort: Applier<GeneralDraft> = (target, value, context) => {
  const port = readInteger(value, context, { min: 1, max: 65535 });
  if (port !== undefined) target.bindport = port;
};

const positiveOrDefault = (key: 'defaultexpiry' | 'minexpiry' | 'maxexpiry' | 'mwiexpiry' | 'registertimeout'): Applier<GeneralDraft> =>
  integerField<GeneralDraft>(key, { min: 1 });

const deviceAccess = (list: 'acl' | 'contactAcl' | 'directmediaAcl', sense: 'permit' | 'deny' | 'acl'): Applier<DeviceDraft> =>
  accessLineApplier<DeviceDraft>(
    (d) => d[list],
    (d, control) => {
      d[list] = control;
    },
    sense,
  );

const generalContactAccess = (sense: 'permit' | 'deny' | 'acl'): Applier<GeneralDraft> =>
  accessLineApplier<GeneralDraft>(
    (g) => g.contactAcl,
    (g, control) => {
      g.contactAcl = control;
    },
    sense,
  );

const tosField = (key: 'sip' | 'audio' | 'video' | 'text'): Applier<GeneralDraft> => (target, value, context) => {
  const tos = parseTos(value, context);
  if (tos !== undefined) target.tos = { ...target.tos, [key]: tos };
};

const cosField = (key: 'sip' | 'audio' | 'video' | 'text'): Applier<GeneralDraft> => (target, value, context) => {
  const cos = parseCos(value, context);
  if (cos !== undefined) target.cos = { ...target.cos, [key]: cos };
};

const tlsBool = (key: 'enabled' | 'verifyClient' | 'dontVerifyServer' | 'serverCipherOrder' | 'disableTlsV1' | 'disableTlsV11' | 'disableTlsV12'): Applier<GeneralDraft> =>
  (target, value, context) => booleanField<GeneralDraft['tls']>(key)(target.tls, value, context);

const tlsText = (key: 'certFile' | 'privateKey' | 'caFile' | 'caPath' | 'cipher'): Applier<GeneralDraft> => (target, value) => {
  target.tls[key] = value;
};

const jbBool = (key: 'enabled' | 'forced' | 'log' | 'syncVideo'): Applier<GeneralDraft> => (target, value, context) => {
  const draft = { ...target.jitterBuffer };
  booleanField<typeof draft>(key)(draft, value, context);
  target.jitterBuffer = draft;
};

const jbInteger = (key: 'maxSize' | 'resyncThreshold' | 'targetExtra'): Applier<GeneralDraft> => (target, value, context) => {
  const parsed = readInteger(value, context, { min: 0 });
  if (parsed !== undefined) target.jitterBuffer = { ...target.jitterBuffer, [key]: parsed };
};

const dtlsApplier = (apply: (dtls: PeerDraft['dtls'], value: string, context: Parameters<Applier<PeerDraft>>[2]) => PeerDraft['dtls'] | undefined): Applier<PeerDraft> =>
  (target, value, context) => {
    const next = apply(target.dtls, value, context);
    if (next !== undefined) target.dtls = next;
  };

const dtlsText = (key: 'certFile' | 'privateKey' | 'cipher' | 'caFile' | 'caPath'): Applier<PeerDraft> =>
  dtlsApplier((dtls, value) => ({ ...dtls, [key]: value }));

const peerBool = (key: Parameters<typeof booleanField<PeerDraft>>[0]): Applier<PeerDraft> => booleanField<PeerDraft>(key);
const generalBool = (key: Parameters<typeof booleanField<GeneralDraft>>[0]): Applier<GeneralDraft> => booleanField<GeneralDraft>(key);
const deviceBool = (key: Parameters<typeof booleanField<DeviceDraft>>[0]): Applier<DeviceDraft> => booleanField<DeviceDraft>(key);

/** `outboundproxy` into `[general]` or a device (both hold the field). */
function outboundProxyApplier<T extends { outboundproxy?: OutboundProxy }>(): Applier<T> {
  return (target, value, context) => {
    if (value === '') return context.warning('no value given for outbound proxy, ignored');
    const proxy = parseOutboundProxy(value, context);
    if (proxy !== undefined) target.outboundproxy = proxy;
  };
}

/** `fromdomain` into `[general]` or a device (both hold the field). */
function fromDomainApplier<T extends { fromdomain?: HostPort & { port: number } }>(): Applier<T> {
  return (target, value, context) => {
    const domain = parseFromDomain(value, context);
    if (domain !== undefined) target.fromdomain = domain;
  };
}

const mailboxApplier: Applier<DeviceDraft> = (target, value) => {
  // chan_sip: add_peer_mailboxes(): comma list, blanks trimmed, duplicates skipped.
  const mailboxes = [...target.mailboxes];
  for (const mailbox of commaItems(value)) if (mailbox !== '' && !mailboxes.includes(mailbox)) mailboxes.push(mailbox);
  target.mailboxes = mailboxes;
};

const setvarApplier: Applier<DeviceDraft> = (target, value, context) => {
  // chan_sip: add_var(): NAME=value; a line without '=' is ignored; a same name is replaced.
  const equals = value.indexOf('=');
  if (equals < 0) return invalid(context, 'NAME=value');
  const name = value.slice(0, equals);
  const variable = { name, value: value.slice(equals + 1) };
  const existing = target.setvars.findIndex((candidate) => candidate.name === name);
  target.setvars = existing < 0 ? [...target.setvars, variable] : target.setvars.map((old, i) => (i === existing ? variable : old));
};

const groupApplier = (key: 'callgroup' | 'pickupgroup'): Applier<DeviceDraft> => (target, value, context) => {
  const groups = parseGroups(value, context);
  if (groups !== undefined) target[key] = groups;
};

const namedGroupApplier = (key: 'namedcallgroup' | 'namedpickupgroup'): Applier<DeviceDraft> => (target, value) => {
  target[key] = commaItems(value).filter((name) => name !== '');
};

/**
 * Every sip.conf option chan_sip (Asterisk 20) reads in `[general]` (`reload_config()`) or in a
 * device (`build_peer()`, `handle_common_options()`, `handle_t38_options()`), with Tandem's
 * status. Flip `parsed` to `active` here when a feature lands.
 */
export const SIP_OPTIONS: readonly SipOptionSpec[] = [
  // Network, transports and binding.
  general('bindaddr', 'active', '0.0.0.0', 'ip[:port]', bindAddress, ['udpbindaddr']),
  general('bindport', 'active', '5060', 'port', bindPort),
  split('port', 'active', '5060', 'port', bindPort, (target, value, context) => {
    const port = parsePort(value);
    if (port === undefined) invalid(context, 'a port from 1 to 65535');
    else target.port = port;
  }),
  general('tcpenable', 'active', 'no', BOOL, generalBool('tcpEnabled')),
  general('tcpbindaddr', 'active', 'bindaddr:5060', 'ip[:port]', (target, value, context) => {
    const address = readSocketAddress(value, context);
    if (address !== undefined) target.tcpBindAddress = address;
  }),
  general('tlsenable', 'active', 'no', BOOL, tlsBool('enabled'), ['sslenable']),
  general('tlsbindaddr', 'active', 'bindaddr:5061', 'ip[:port]', (target, value, context) => {
    const address = readSocketAddress(value, context);
    if (address !== undefined) target.tls.bindAddress = address;
  }, ['sslbindaddr']),
  general('tlscertfile', 'active', 'asterisk.pem', 'file', tlsText('certFile'), ['sslcert', 'tlscert']),
  general('tlsprivatekey', 'active', '', 'file', tlsText('privateKey'), ['sslprivatekey']),
  general('tlscipher', 'active', '', 'OpenSSL cipher list', tlsText('cipher'), ['sslcipher']),
  general('tlscafile', 'active', '', 'file', tlsText('caFile')),
  general('tlscapath', 'parsed', '', 'directory', tlsText('caPath'), ['tlscadir']),
  general('tlsverifyclient', 'active', 'no', BOOL, tlsBool('verifyClient')),
  general('tlsdontverifyserver', 'active', 'no', BOOL, tlsBool('dontVerifyServer')),
  general('tlsclientmethod', 'parsed', 'default', 'tlsv1|sslv3|sslv2', (target, value, context) => {
    const method = value.toLowerCase();
    if (method === 'tlsv1' || method === 'sslv3' || method === 'sslv2') target.tls.clientMethod = method;
    else invalid(context, 'tlsv1, sslv3 or sslv2');
  }, ['sslclientmethod']),
  general('tlsservercipherorder', 'parsed', 'no', BOOL, tlsBool('serverCipherOrder')),
  general('tlsdisablev1', 'parsed', 'no', BOOL, tlsBool('disableTlsV1')),
  general('tlsdisablev11', 'parsed', 'no', BOOL, tlsBool('disableTlsV11')),
  general('tlsdisablev12', 'parsed', 'no', BOOL, tlsBool('disableTlsV12')),
  general('websocket_enabled', 'active', 'yes', BOOL, generalBool('websocketEnabled')),
  general('websocket_write_timeout', 'parsed', '100', 'ms', integerField<GeneralDraft>('websocketWriteTimeout', { min: 0 })),
  general('tcpauthtimeout', 'active', '30', 'seconds', integerField<GeneralDraft>('tcpauthtimeout', { min: 1 })),
  general('tcpauthlimit', 'active', '100', INT, integerField<GeneralDraft>('tcpauthlimit', { min: 1 })),
  both('transport', 'active', 'udp', 'udp,tcp,tls,ws,wss', applyTransports),
  general('srvlookup', 'active', 'yes', BOOL, generalBool('srvlookup')),
  split('outboundproxy', 'active', '', '[proto://]host[:port][,force]', outboundProxyApplier<GeneralDraft>(), outboundProxyApplier<DeviceDraft>()),
  // chan_sip: ast_parse_arg(PARSE_ADDR): an IP literal; host names belong in externhost.
  general('externaddr', 'active', '', 'ip[:port]', (target, value, context) => {
    const address = readSocketAddress(value, context);
    if (address !== undefined) target.externaddr = address;
  }, ['externip']),
  general('externhost', 'active', '', 'hostname', (target, value) => {
    target.externhost = value;
  }),
  general('externrefresh', 'active', '10', 'seconds', integerField<GeneralDraft>('externrefresh', { min: 1 })),
  general('externtcpport', 'active', '', 'port', (target, value, context) => {
    const port = parsePort(value);
    if (port === undefined) invalid(context, 'a port from 1 to 65535');
    else target.externtcpport = port;
  }),
  general('externtlsport', 'active', '', 'port', (target, value, context) => {
    const port = parsePort(value);
    if (port === undefined) invalid(context, 'a port from 1 to 65535');
    else target.externtlsport = port;
  }),
  general('localnet', 'active', '', 'network/mask or CIDR', (target, value, context) => {
    const network = parseIpNetwork(value);
    if (network.ok) target.localnet = [...target.localnet, network.network];
    else context.error(`bad localnet '${value}': ${network.reason}`);
  }),
  general('matchexternaddrlocally', 'active', 'no', BOOL, generalBool('matchexternaddrlocally'), ['matchexterniplocally']),
  general('media_address', 'active', '', 'ip', (target, value, context) => {
    const address = readSocketAddress(value, context);
    if (address !== undefined) target.mediaAddress = address;
  }),
  general('rtpbindaddr', 'active', '', 'ip', (target, value, context) => {
    const address = readSocketAddress(value, context);
    if (address !== undefined) target.rtpBindAddress = address;
  }),
  both('nat', 'active', 'auto_force_rport', 'no|force_rport|comedia|auto_force_rport|auto_comedia (comma list)', applyNat),

  // Authentication, matching, domains.
  both('context', 'active', 'default', 'context', stringField<PeerDraft>('context')),
  general('allowguest', 'active', 'yes', BOOL, generalBool('allowguest')),
  general('alwaysauthreject', 'active', 'yes', BOOL, generalBool('alwaysauthreject')),
  general('match_auth_username', 'active', 'no', BOOL, generalBool('matchAuthUsername')),
  general('realm', 'active', 'asterisk (or systemname)', TEXT, stringField<GeneralDraft>('realm')),
  general('domainsasrealm', 'active', 'no', BOOL, generalBool('domainsasrealm')),
  general('domain', 'active', '', 'domain[,context]', (target, value, context) => {
    const comma = value.indexOf(',');
    const domain = (comma < 0 ? value : value.slice(0, comma)).trim();
    const domainContext = comma < 0 ? '' : value.slice(comma + 1).trim();
    if (domain === '') return context.error('empty domain specified');
    target.domains = [...target.domains, domainContext === '' ? { domain } : { domain, context: domainContext }];
  }),
  general('autodomain', 'parsed', 'no', BOOL, generalBool('autodomain')),
  general('allowexternaldomains', 'parsed', 'yes', BOOL, generalBool('allowexternaldomains')),
  general('autocreatepeer', 'active', 'no', 'yes|no|persist', (target, value, context) => {
    const word = readBoolOr(value, context, ['persist']);
    if (word !== undefined) target.autocreatepeer = word === 'persist' ? 'persist' : word ? 'yes' : 'no';
  }),
  split('contactpermit', 'active', '', 'ip[/mask]', generalContactAccess('permit'), deviceAccess('contactAcl', 'permit')),
  split('contactdeny', 'active', '', 'ip[/mask]', generalContactAccess('deny'), deviceAccess('contactAcl', 'deny')),
  split('contactacl', 'active', '', 'named ACL', generalContactAccess('acl'), deviceAccess('contactAcl', 'acl')),
  general('dynamic_exclude_static', 'parsed', 'no', BOOL, generalBool('dynamicExcludeStatic'), ['dynamic_excludes_static']),
  both('insecure', 'active', 'no', 'port|invite|port,invite|no', applyInsecure),
  general('auth_options_requests', 'active', 'no', BOOL, generalBool('authOptionsRequests')),
  general('auth_message_requests', 'parsed', 'yes', BOOL, generalBool('authMessageRequests')),
  general('accept_outofcall_message', 'parsed', 'yes', BOOL, generalBool('acceptOutofcallMessage')),
  both('outofcall_message_context', 'parsed', '', 'context', stringField<PeerDraft>('messageContext')),

  // Registrations.
  general('defaultexpiry', 'active', '120', 'seconds', positiveOrDefault('defaultexpiry'), ['defaultexpirey']),
  general('minexpiry', 'active', '60', 'seconds', positiveOrDefault('minexpiry'), ['minexpirey']),
  general('maxexpiry', 'active', '3600', 'seconds', positiveOrDefault('maxexpiry'), ['maxexpirey']),
  general('subminexpiry', 'parsed', 'minexpiry', 'seconds', (target, value, context) => {
    context.pass.subminexpirySet = true;
    integerField<GeneralDraft>('subminexpiry', { min: 1 })(target, value, context);
  }, ['subminexpirey']),
  general('submaxexpiry', 'parsed', 'maxexpiry', 'seconds', (target, value, context) => {
    context.pass.submaxexpirySet = true;
    integerField<GeneralDraft>('submaxexpiry', { min: 1 })(target, value, context);
  }, ['submaxexpirey']),
  general('mwiexpiry', 'active', '3600', 'seconds', positiveOrDefault('mwiexpiry'), ['mwiexpirey']),
  general('registertimeout', 'active', '20', 'seconds', positiveOrDefault('registertimeout')),
  general('registerattempts', 'active', '0', 'count (0 = forever)', integerField<GeneralDraft>('registerattempts', { min: 0 })),
  general('register_retry_403', 'active', 'no', BOOL, generalBool('registerRetry403')),
  general('register', 'active', '', '[peer?][transport://]user[@domain][:secret[:authuser]]@host[:port][/extension][~expiry]', applyGeneralRegister),
  general('mwi', 'active', '', 'user[:secret[:authuser]]@host[:port]/mailbox', applyGeneralMwi),
  general('regcontext', 'parsed', '', 'context[&context]', (target, value) => {
    target.regcontext = value.split('&').filter((name) => name !== '');
  }),
  general('regextenonqualify', 'parsed', 'no', BOOL, generalBool('regextenonqualify')),

  // Codecs, DTMF, media.
  both('allow', 'active', 'ulaw,alaw,gsm,h263', 'codec[:ms] list', codecListApplier(true)),
  both('disallow', 'active', '', 'codec list or all', codecListApplier(false)),
  both('preferred_codec_only', 'parsed', 'no', BOOL, peerBool('preferredCodecOnly')),
  both('autoframing', 'parsed', 'no', BOOL, peerBool('autoframing')),
  both('dtmfmode', 'active', 'rfc2833', 'rfc2833|info|shortinfo|inband|auto', choiceField<PeerDraft, 'dtmfmode'>('dtmfmode', {
    rfc2833: 'rfc2833', info: 'info', shortinfo: 'shortinfo', inband: 'inband', auto: 'auto',
  })),
  both('directmedia', 'active', 'yes', 'yes|no|nonat|update|outgoing', applyDirectMedia, ['canreinvite']),
  general('directrtpsetup', 'active', 'no', BOOL, generalBool('directrtpsetup')),
  both('rtptimeout', 'parsed', '0', 'seconds', integerField<PeerDraft>('rtptimeout', { min: 0 })),
  both('rtpholdtimeout', 'parsed', '0', 'seconds', integerField<PeerDraft>('rtpholdtimeout', { min: 0 })),
  both('rtpkeepalive', 'parsed', '0', 'seconds', integerField<PeerDraft>('rtpkeepalive', { min: 0 })),
  both('progressinband', 'active', 'no', 'yes|no|never', (target, value, context) => {
    const word = readBoolOr(value, context, ['never']);
    if (word !== undefined) target.progressinband = word === 'never' ? 'never' : word ? 'yes' : 'no';
  }),
  both('maxcallbitrate', 'active', '384', 'kbps', integerField<PeerDraft>('maxcallbitrate', { min: 0 })),
  both('videosupport', 'active', 'no', 'yes|no|always', (target, value, context) => {
    const word = readBoolOr(value, context, ['always']);
    if (word !== undefined) target.videosupport = word === 'always' ? 'always' : word ? 'yes' : 'no';
  }),
  both('textsupport', 'active', 'no', BOOL, peerBool('textsupport')),
  both('ignoresdpversion', 'parsed', 'no', BOOL, peerBool('ignoresdpversion')),
  both('faxdetect', 'parsed', 'no', 'yes|no|cng|t38', applyFaxDetect),
  both('t38pt_udptl', 'active', 'no', 'yes|no|fec|redundancy|none[,maxdatagram=N]', applyT38Udptl),
  both('t38pt_usertpsource', 'parsed', 'no', BOOL, (target, value, context) => {
    const draft = { ...target.t38 };
    booleanField<typeof draft>('useRtpSource')(draft, value, context);
    target.t38 = draft;
  }),
  both('rfc2833compensate', 'parsed', 'no', BOOL, peerBool('rfc2833compensate')),
  both('rtcp_mux', 'parsed', 'no', BOOL, peerBool('rtcpMux')),
  both('icesupport', 'parsed', 'no', BOOL, peerBool('icesupport')),
  both('discard_remote_hold_retrieval', 'parsed', 'no', BOOL, peerBool('discardRemoteHoldRetrieval')),
  both('g726nonstandard', 'parsed', 'no', BOOL, peerBool('g726nonstandard')),
  general('relaxdtmf', 'parsed', 'no', BOOL, generalBool('relaxdtmf')),
  general('prematuremedia', 'parsed', 'yes', BOOL, generalBool('prematuremedia')),
  both('dtlsenable', 'parsed', 'no', BOOL, dtlsApplier((dtls, value, context) => {
    const draft = { ...dtls };
    booleanField<typeof draft>('enabled')(draft, value, context);
    return draft;
  })),
  both('dtlsverify', 'parsed', 'yes', 'yes|no|fingerprint|certificate', dtlsApplier((dtls, value, context) => {
    const verify = value.toLowerCase();
    if (verify === 'yes' || verify === 'no' || verify === 'fingerprint' || verify === 'certificate') return { ...dtls, verify };
    invalid(context, 'yes, no, fingerprint or certificate');
    return undefined;
  })),
  both('dtlsrekey', 'parsed', '0', 'seconds', dtlsApplier((dtls, value, context) => {
    const rekey = readInteger(value, context, { min: 0 });
    return rekey === undefined ? undefined : { ...dtls, rekey };
  })),
  both('dtlsautogeneratecert', 'parsed', 'no', BOOL, dtlsApplier((dtls, value, context) => {
    const draft = { ...dtls };
    booleanField<typeof draft>('autoGenerateCert')(draft, value, context);
    return draft;
  })),
  both('dtlscertfile', 'parsed', '', 'file', dtlsText('certFile')),
  both('dtlsprivatekey', 'parsed', '', 'file', dtlsText('privateKey')),
  both('dtlscipher', 'parsed', '', 'OpenSSL cipher list', dtlsText('cipher')),
  both('dtlscafile', 'parsed', '', 'file', dtlsText('caFile')),
  both('dtlscapath', 'parsed', '', 'directory', dtlsText('caPath'), ['dtlscadir']),
  both('dtlssetup', 'parsed', 'actpass', 'active|passive|actpass', dtlsApplier((dtls, value, context) => {
    const setup = value.toLowerCase();
    if (setup === 'active' || setup === 'passive' || setup === 'actpass') return { ...dtls, setup };
    invalid(context, 'active, passive or actpass');
    return undefined;
  })),
  both('dtlsfingerprint', 'parsed', 'sha-256', 'sha-256|sha-1', dtlsApplier((dtls, value, context) => {
    const fingerprint = value.toLowerCase();
    if (fingerprint === 'sha-256' || fingerprint === 'sha-1') return { ...dtls, fingerprint };
    invalid(context, 'sha-256 or sha-1');
    return undefined;
  })),
  general('jbenable', 'parsed', 'no', BOOL, jbBool('enabled')),
  general('jbforce', 'parsed', 'no', BOOL, jbBool('forced')),
  general('jbmaxsize', 'parsed', '200', 'ms', jbInteger('maxSize')),
  general('jbresyncthreshold', 'parsed', '1000', 'ms', jbInteger('resyncThreshold')),
  general('jbimpl', 'parsed', 'fixed', 'fixed|adaptive', (target, value, context) => {
    const implementation = value.toLowerCase();
    if (implementation === 'fixed' || implementation === 'adaptive') target.jitterBuffer = { ...target.jitterBuffer, implementation };
    else invalid(context, 'fixed or adaptive');
  }),
  general('jbtargetextra', 'parsed', '40', 'ms', jbInteger('targetExtra')),
  general('jblog', 'parsed', 'no', BOOL, jbBool('log')),
  general('jbsyncvideo', 'parsed', 'no', BOOL, jbBool('syncVideo')),

  // Qualify and timers.
  both('qualify', 'active', 'no', 'yes|no|ms', applyQualify),
  both('qualifyfreq', 'active', '60', 'seconds', integerField<PeerDraft>('qualifyfreq', { scale: 1000 })),
  general('qualifygap', 'active', '100', 'ms', integerField<GeneralDraft>('qualifygap', { min: 0 })),
  general('qualifypeers', 'active', '1', INT, integerField<GeneralDraft>('qualifypeers')),
  both('keepalive', 'active', 'no', 'yes|no|seconds', applyKeepalive),
  split('timert1', 'active', '500', 'ms', applyGeneralTimerT1, applyDeviceTimerT1),
  split('timerb', 'active', '64 x timert1', 'ms', applyGeneralTimerB, applyDeviceTimerB),
  general('t1min', 'active', '100', 'ms', integerField<GeneralDraft>('t1min', { min: 1 })),
  both('session-timers', 'active', 'accept', 'originate|accept|refuse', applySessionTimerMode),
  both('session-expires', 'active', '1800', 'seconds', applySessionExpires),
  both('session-minse', 'active', '90', 'seconds (>= 90)', applySessionMinSe),
  both('session-refresher', 'active', 'uas', 'uac|uas', applySessionRefresher),
  both('maxforwards', 'active', '70', '1-255', integerField<PeerDraft>('maxforwards', { min: 1, max: 255 })),

  // Identity and caller ID.
  general('useragent', 'active', 'Asterisk PBX <version>', TEXT, stringField<GeneralDraft>('useragent')),
  general('sdpsession', 'active', 'Asterisk PBX <version>', TEXT, stringField<GeneralDraft>('sdpsession')),
  general('sdpowner', 'active', 'root', 'text without spaces', (target, value, context) => {
    if (value.includes(' ')) invalid(context, 'a name without spaces');
    else target.sdpowner = value;
  }),
  split('callerid', 'active', 'asterisk', '"Name" <number>', stringField<GeneralDraft>('callerid'), (target, value) => {
    target.callerid = splitCallerId(value);
  }),
  split('fromdomain', 'active', '', 'host[:port]', fromDomainApplier<GeneralDraft>(), fromDomainApplier<DeviceDraft>()),
  device('fromuser', 'active', '', TEXT, stringField<DeviceDraft>('fromuser')),
  both('sendrpid', 'active', 'no', 'yes|no|rpid|pai', applySendRpid),
  both('trustrpid', 'active', 'no', BOOL, peerBool('trustrpid')),
  both('trust_id_outbound', 'active', 'legacy', 'yes|no|legacy', (target, value, context) => {
    const word = readBoolOr(value, context, ['legacy']);
    if (word !== undefined) target.trustIdOutbound = word === 'legacy' ? 'legacy' : word ? 'yes' : 'no';
  }),
  both('rpid_update', 'parsed', 'no', BOOL, peerBool('rpidUpdate')),
  both('rpid_immediate', 'parsed', 'no', BOOL, peerBool('rpidImmediate')),
  device('callingpres', 'active', 'allowed_not_screened', 'presentation name or number', (target, value, context) => {
    const presentation = parseCallingPres(value, context);
    if (presentation !== undefined) target.callingpres = presentation;
  }),
  device('fullname', 'active', '', TEXT, (target, value) => {
    target.callerid = { ...target.callerid, name: value };
  }),
  device('cid_number', 'active', '', 'number', (target, value) => {
    target.callerid = { ...target.callerid, number: value };
  }),
  device('trunkname', 'active', '', TEXT, (target) => {
    target.callerid = { ...target.callerid, name: '' };
  }),
  device('cid_tag', 'active', '', TEXT, stringField<DeviceDraft>('cidTag')),
  general('shrinkcallerid', 'active', 'yes', BOOL, generalBool('shrinkcallerid')),
  both('use_q850_reason', 'active', 'no', BOOL, peerBool('useQ850Reason')),

  // Calls and dialog behaviour.
  both('allowoverlap', 'active', 'yes', 'yes|no|dtmf', (target, value, context) => {
    const word = readBoolOr(value, context, ['dtmf']);
    if (word !== undefined) target.allowoverlap = word === 'dtmf' ? 'dtmf' : word ? 'yes' : 'no';
  }),
  split('callcounter', 'active', 'no', BOOL, onDefaults(peerBool('callcounter')), (target, value, context) => {
    const draft = { on: false };
    booleanField<typeof draft>('on')(draft, value, context);
    target.callLimit = draft.on ? UNLIMITED_CALLS : 0;
  }),
  device('call-limit', 'active', '0', INT, (target, value, context) => {
    const limit = readInteger(value, context);
    if (limit !== undefined) target.callLimit = Math.max(0, limit);
  }),
  device('busylevel', 'active', '0', INT, (target, value, context) => {
    const level = readInteger(value, context);
    if (level !== undefined) target.busylevel = Math.max(0, level);
  }),
  both('allowsubscribe', 'active', 'yes', BOOL, peerBool('allowsubscribe')),
  both('allowtransfer', 'active', 'yes', BOOL, peerBool('allowtransfer')),
  both('promiscredir', 'parsed', 'no', BOOL, peerBool('promiscredir')),
  both('usereqphone', 'parsed', 'no', BOOL, peerBool('usereqphone')),
  both('useclientcode', 'active', 'no', BOOL, peerBool('useclientcode')),
  both('supportpath', 'active', 'no', BOOL, peerBool('supportPath')),
  both('disallowed_methods', 'parsed', '', 'method list', (target, value, context) => {
    target.disallowedMethods = parseMethods(value, context);
  }),
  general('compactheaders', 'parsed', 'no', BOOL, generalBool('compactheaders')),
  general('pedantic', 'active', 'yes', BOOL, generalBool('pedantic')),
  general('send_diversion', 'parsed', 'yes', BOOL, generalBool('sendDiversion')),
  general('legacy_useroption_parsing', 'parsed', 'no', BOOL, generalBool('legacyUseroptionParsing')),
  general('refer_addheaders', 'parsed', 'yes', BOOL, generalBool('referAddheaders')),
  general('storesipcause', 'parsed', 'no', BOOL, generalBool('storesipcause')),
  both('snom_aoc_enabled', 'parsed', 'no', BOOL, peerBool('snomAocEnabled')),

  // Subscriptions, presence and voicemail.
  both('subscribecontext', 'active', '', 'context', stringField<PeerDraft>('subscribecontext')),
  general('notifyringing', 'active', 'yes', 'yes|no|notinuse', (target, value, context) => {
    const word = readBoolOr(value, context, ['notinuse']);
    if (word !== undefined) target.notifyringing = word === 'notinuse' ? 'notinuse' : word ? 'yes' : 'no';
  }),
  general('notifyhold', 'active', 'no', BOOL, generalBool('notifyhold')),
  general('notifycid', 'parsed', 'no', 'yes|no|ignore-context', (target, value, context) => {
    const word = readBoolOr(value, context, ['ignore-context']);
    if (word !== undefined) target.notifycid = word === 'ignore-context' ? 'ignore-context' : word ? 'yes' : 'no';
  }),
  general('notifymimetype', 'parsed', 'application/simple-message-summary', 'MIME type', stringField<GeneralDraft>('notifymimetype')),
  both('vmexten', 'parsed', 'asterisk', 'extension', stringField<PeerDraft>('vmexten')),
  both('mwi_from', 'active', '', TEXT, stringField<PeerDraft>('mwiFrom')),
  both('buggymwi', 'active', 'no', BOOL, peerBool('buggymwi')),
  device('mailbox', 'active', '', 'box[@context][,box...]', mailboxApplier),
  device('hasvoicemail', 'parsed', 'no', BOOL, (target, value, context) => {
    const draft = { on: false };
    booleanField<typeof draft>('on')(draft, value, context);
    // chan_sip: build_peer() "hasvoicemail" adds name@default when no mailbox is set yet.
    if (draft.on && target.mailboxes.length === 0) {
      target.mailboxes = [target.name.includes('@') ? target.name : `${target.name}@default`];
    }
  }),
  device('subscribemwi', 'active', 'no', BOOL, deviceBool('subscribemwi')),
  device('unsolicited_mailbox', 'parsed', '', 'mailbox', stringField<DeviceDraft>('unsolicitedMailbox')),

  // Channel defaults.
  both('language', 'active', '', 'language code', stringField<PeerDraft>('language')),
  both('tonezone', 'active', '', 'indications.conf zone', stringField<PeerDraft>('tonezone')),
  both('mohinterpret', 'active', 'default', 'music class', stringField<PeerDraft>('mohinterpret')),
  both('mohsuggest', 'active', '', 'music class', stringField<PeerDraft>('mohsuggest')),
  both('parkinglot', 'parsed', 'default', 'parking lot', stringField<PeerDraft>('parkinglot')),
  both('recordonfeature', 'parsed', 'automon', 'feature', stringField<PeerDraft>('recordOnFeature')),
  both('recordofffeature', 'parsed', 'automon', 'feature', stringField<PeerDraft>('recordOffFeature')),
  device('accountcode', 'active', '', TEXT, stringField<DeviceDraft>('accountcode')),
  device('amaflags', 'parsed', 'default', 'default|omit|billing|documentation', choiceField<DeviceDraft, 'amaflags'>('amaflags', {
    default: 'default', omit: 'omit', billing: 'billing', documentation: 'documentation',
  })),
  device('callgroup', 'parsed', '', 'groups 0-63', groupApplier('callgroup')),
  device('pickupgroup', 'parsed', '', 'groups 0-63', groupApplier('pickupgroup')),
  device('namedcallgroup', 'parsed', '', 'names', namedGroupApplier('namedcallgroup')),
  device('namedpickupgroup', 'parsed', '', 'names', namedGroupApplier('namedpickupgroup')),
  device('rtp_engine', 'parsed', 'asterisk', 'engine', stringField<DeviceDraft>('rtpEngine')),
  device('encryption', 'parsed', 'no', BOOL, deviceBool('encryption')),
  device('encryption_taglen', 'parsed', '80', '32|80', (target, value) => {
    target.encryptionTaglen32 = value === '32';
  }),
  device('avpf', 'parsed', 'no', BOOL, deviceBool('avpf')),
  device('force_avp', 'parsed', 'no', BOOL, deviceBool('forceAvp')),
  device('ignore_requested_pref', 'parsed', 'no', BOOL, deviceBool('ignoreRequestedPref')),

  // Devices: identity, address, credentials, access.
  device('type', 'active', '', 'peer|user|friend', (target, value, context) => {
    const type = value.toLowerCase();
    if (type === 'peer') target.isPeer = true;
    else if (type === 'user') target.isUser = true;
    else if (type === 'friend') {
      target.isPeer = true;
      target.isUser = true;
    } else invalid(context, 'peer, user or friend');
  }),
  device('host', 'active', '', 'dynamic|ip|hostname', (target, value, context) => {
    if (value.toLowerCase() === 'dynamic') target.host = { kind: 'dynamic' };
    else if (value === '') invalid(context, 'dynamic, an IP address or a host name');
    else target.host = { kind: 'static', host: value };
  }),
  device('defaultip', 'active', '', 'ip', (target, value) => {
    if (value === '') delete target.defaultip;
    else target.defaultip = value;
  }),
  device('secret', 'active', '', TEXT, stringField<DeviceDraft>('secret')),
  device('md5secret', 'active', '', 'hex MD5(name:realm:secret)', stringField<DeviceDraft>('md5secret')),
  device('remotesecret', 'active', '', TEXT, stringField<DeviceDraft>('remotesecret')),
  device('defaultuser', 'active', '', TEXT, stringField<DeviceDraft>('defaultuser')),
  device('username', 'active', '', TEXT, (target, value, context) => {
    // chan_sip: build_peer() logs this notice once (a static deprecation_warning flag).
    if (!context.general.usernameDeprecationReported) {
      context.general.usernameDeprecationReported = true;
      context.warning("the 'username' field for sip peers has been deprecated in favor of the term 'defaultuser'");
    }
    target.defaultuser = value;
  }),
  device('auth', 'active', '', 'user[:secret]@realm or user#md5secret@realm', (target, value, context) => {
    const auth = parseRealmAuth(value, context);
    if (auth !== undefined) target.auth = [...target.auth, auth];
  }),
  device('permit', 'active', '', 'ip[/mask] list', deviceAccess('acl', 'permit')),
  device('deny', 'active', '', 'ip[/mask] list', deviceAccess('acl', 'deny')),
  device('acl', 'active', '', 'named ACL list', deviceAccess('acl', 'acl')),
  device('directmediapermit', 'active', '', 'ip[/mask] list', deviceAccess('directmediaAcl', 'permit')),
  device('directmediadeny', 'active', '', 'ip[/mask] list', deviceAccess('directmediaAcl', 'deny')),
  device('directmediaacl', 'active', '', 'named ACL list', deviceAccess('directmediaAcl', 'acl')),
  device('setvar', 'active', '', 'NAME=value', setvarApplier),
  device('header', 'active', '', 'Name: value', (target, value) => {
    target.headers = [...target.headers, value];
  }),
  device('description', 'active', '', TEXT, stringField<DeviceDraft>('description')),
  device('regexten', 'parsed', '', 'extension', stringField<DeviceDraft>('regexten')),
  device('callbackextension', 'active', '', 'extension', stringField<DeviceDraft>('callbackextension')),

  // Realtime.
  general('rtcachefriends', 'active', 'no', BOOL, generalBool('rtcachefriends')),
  general('rtupdate', 'active', 'yes', BOOL, generalBool('rtupdate')),
  general('rtautoclear', 'active', '120 (when enabled)', 'yes|no|seconds', (target, value, context) => {
    const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
    if (seconds !== undefined) target.rtautoclear = seconds > 0 ? seconds : false;
    else {
      const word = readBoolOr(value, context, []);
      if (word !== undefined) target.rtautoclear = word ? 120 : false;
    }
  }),
  general('rtsavesysname', 'active', 'no', BOOL, generalBool('rtsavesysname')),
  general('rtsavepath', 'active', 'no', BOOL, generalBool('rtsavepath')),
  general('ignoreregexpire', 'active', 'no', BOOL, generalBool('ignoreregexpire')),

  // Debugging, QoS, events.
  general('sipdebug', 'parsed', 'no', BOOL, generalBool('sipdebug')),
  general('recordhistory', 'parsed', 'no', BOOL, generalBool('recordhistory')),
  general('dumphistory', 'parsed', 'no', BOOL, generalBool('dumphistory')),
  general('authfailureevents', 'parsed', 'no', BOOL, generalBool('authfailureevents')),
  general('subscribe_network_change_event', 'parsed', 'yes', BOOL, generalBool('subscribeNetworkChangeEvent')),
  general('tos_sip', 'parsed', '0', 'number or DSCP name', tosField('sip')),
  general('tos_audio', 'parsed', '0', 'number or DSCP name', tosField('audio')),
  general('tos_video', 'parsed', '0', 'number or DSCP name', tosField('video')),
  general('tos_text', 'parsed', '0', 'number or DSCP name', tosField('text')),
  general('cos_sip', 'parsed', '4', '0-7', cosField('sip')),
  general('cos_audio', 'parsed', '5', '0-7', cosField('audio')),
  general('cos_video', 'parsed', '6', '0-7', cosField('video')),
  general('cos_text', 'parsed', '5', '0-7', cosField('text')),
  ...[
    'cc_agent_policy',
    'cc_monitor_policy',
    'cc_offer_timer',
    'ccnr_available_timer',
    'ccbs_available_timer',
    'cc_recall_timer',
    'cc_max_agents',
    'cc_max_monitors',
    'cc_callback_macro',
    'cc_callback_sub',
    'cc_agent_dialstring',
  ].map((name) =>
    device(name, 'parsed', '', 'call completion setting', (target, value) => {
      target.callCompletion = { ...target.callCompletion, [name]: value };
    }),
  ),
];

/** What the option table says about one option, without its parser. */
export type SipOptionInfo = Omit<SipOptionSpec, 'inGeneral' | 'inDevice'>;

/** The option table as data (for documentation and `sip show settings`-style listings). */
export function sipOptionTable(): SipOptionInfo[] {
  return SIP_OPTIONS.map(({ name, aliases, scope, status, defaultValue, syntax }) => ({ name, aliases, scope, status, defaultValue, syntax }));
}

const OPTIONS_BY_NAME = new Map<string, SipOptionSpec>();
for (const option of SIP_OPTIONS) {
  for (const name of [option.name, ...option.aliases]) OPTIONS_BY_NAME.set(name, option);
}

/** The option a sip.conf line names (case-insensitive, aliases included), if chan_sip knows it. */
export function findSipOption(name: string): SipOptionSpec | undefined {
  return OPTIONS_BY_NAME.get(name.toLowerCase());
}
