import { OPEN_ACCESS } from '../acl/access-control.js';
import type { SocketAddress } from '../values/ip-address.js';
import { DEFAULT_SIP_CODECS } from './codec-preferences.js';
import type {
  SipGeneral,
  SipMwiSubscription,
  SipPeerSettings,
  SipRegistration,
  SipDevice,
  TlsSetting,
} from './sip-conf-types.js';

/** chan_sip's `INT_MAX` call limit set by `callcounter=yes`: count calls, limit none. */
export const UNLIMITED_CALLS = 2_147_483_647;

/** A model type with its top-level fields writable, used while a section is read. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Device defaults while `[general]` is read. */
export type PeerDraft = Mutable<SipPeerSettings>;

/** `[general]` while it is read: bind addresses and TLS are settled after the last line. */
export interface GeneralDraft
  extends Mutable<Omit<SipGeneral, 'deviceDefaults' | 'udpBindAddress' | 'tcpBindAddress' | 'tls'>> {
  deviceDefaults: PeerDraft;
  bindaddr: SocketAddress;
  bindport?: number;
  tcpBindAddress?: SocketAddress;
  tls: Mutable<Omit<TlsSetting, 'bindAddress'>> & { bindAddress?: SocketAddress };
  registrations: SipRegistration[];
  mwiSubscriptions: SipMwiSubscription[];
  /** The `username` deprecation notice has been given for this load. */
  usernameDeprecationReported: boolean;
}

/** A device while its sections are read. */
export type DeviceDraft = Mutable<SipDevice>;

/**
 * State that lives for one section (one pass of chan_sip's `build_peer()` or the `[general]`
 * loop of `reload_config()`), where several lines combine.
 */
export interface SectionPass {
  /** Flags of `nat=` lines seen in this section (they start from none, not from general). */
  natSeen: boolean;
  /** `faxdetect=cng`/`t38` words add up within a section. */
  faxdetectSeen: boolean;
  timerbSet: boolean;
  timert1Set: boolean;
  subminexpirySet: boolean;
  submaxexpirySet: boolean;
}

/** A fresh per-section state. */
export function newSectionPass(): SectionPass {
  return {
    natSeen: false,
    faxdetectSeen: false,
    timerbSet: false,
    timert1Set: false,
    subminexpirySet: false,
    submaxexpirySet: false,
  };
}

/** chan_sip's device defaults (`reload_config()` resets, then `set_peer_defaults()`). */
export function defaultPeerSettings(): PeerDraft {
  return {
    context: 'default',
    subscribecontext: '',
    messageContext: '',
    language: '',
    tonezone: '',
    mohinterpret: 'default',
    mohsuggest: '',
    parkinglot: 'default',
    vmexten: 'asterisk',
    mwiFrom: '',
    recordOnFeature: 'automon',
    recordOffFeature: 'automon',
    nat: { forceRport: false, comedia: false, autoForceRport: true, autoComedia: false },
    dtmfmode: 'rfc2833',
    directmedia: { enabled: true, evenBehindNat: false, method: 'invite', outgoing: false },
    insecure: { port: false, invite: false },
    progressinband: 'no',
    trustrpid: false,
    sendrpid: 'no',
    trustIdOutbound: 'legacy',
    rpidUpdate: false,
    rpidImmediate: false,
    supportPath: false,
    g726nonstandard: false,
    useclientcode: false,
    promiscredir: false,
    usereqphone: false,
    videosupport: 'no',
    textsupport: false,
    allowoverlap: 'yes',
    allowsubscribe: true,
    allowtransfer: true,
    ignoresdpversion: false,
    faxdetect: { cng: false, t38: false },
    t38: { support: 'no', useRtpSource: false },
    rfc2833compensate: false,
    buggymwi: false,
    rtcpMux: false,
    codecs: DEFAULT_SIP_CODECS,
    preferredCodecOnly: false,
    autoframing: false,
    rtptimeout: 0,
    rtpholdtimeout: 0,
    rtpkeepalive: 0,
    maxcallbitrate: 384,
    qualify: 0,
    qualifyfreq: 60_000,
    keepalive: 0,
    callcounter: false,
    sessionTimers: { mode: 'accept', expires: 1800, minSe: 90, refresher: 'uas' },
    timerT1: 500,
    timerB: 32_000,
    maxforwards: 70,
    disallowedMethods: [],
    useQ850Reason: false,
    transports: ['udp'],
    icesupport: false,
    discardRemoteHoldRetrieval: false,
    snomAocEnabled: false,
    dtls: {
      enabled: false,
      verify: 'yes',
      rekey: 0,
      autoGenerateCert: false,
      certFile: '',
      privateKey: '',
      cipher: '',
      caFile: '',
      caPath: '',
      setup: 'actpass',
      fingerprint: 'sha-256',
    },
  };
}

/** `[general]` before its first line: chan_sip's `reload_config()` defaults. */
export function defaultGeneralDraft(systemName: string | undefined): GeneralDraft {
  return {
    deviceDefaults: defaultPeerSettings(),
    bindaddr: { host: '0.0.0.0', family: 'ipv4' },
    tcpEnabled: false,
    tls: {
      enabled: false,
      certFile: 'asterisk.pem',
      privateKey: '',
      caFile: '',
      caPath: '',
      cipher: '',
      clientMethod: 'default',
      verifyClient: false,
      dontVerifyServer: false,
      serverCipherOrder: false,
      disableTlsV1: false,
      disableTlsV11: false,
      disableTlsV12: false,
    },
    srvlookup: true,
    externrefresh: 10,
    localnet: [],
    matchexternaddrlocally: false,
    allowguest: true,
    alwaysauthreject: true,
    matchAuthUsername: false,
    realm: systemName !== undefined && systemName !== '' ? systemName : 'asterisk',
    domainsasrealm: false,
    domains: [],
    autodomain: false,
    allowexternaldomains: true,
    autocreatepeer: 'no',
    contactAcl: OPEN_ACCESS,
    dynamicExcludeStatic: false,
    authOptionsRequests: false,
    authMessageRequests: true,
    acceptOutofcallMessage: true,
    defaultexpiry: 120,
    minexpiry: 60,
    maxexpiry: 3600,
    subminexpiry: 60,
    submaxexpiry: 3600,
    mwiexpiry: 3600,
    registertimeout: 20,
    registerattempts: 0,
    registerRetry403: false,
    useragent: 'Asterisk PBX 20 (Tandem)',
    sdpsession: 'Asterisk PBX 20 (Tandem)',
    sdpowner: 'root',
    callerid: 'asterisk',
    qualifygap: 100,
    qualifypeers: 1,
    t1min: 100,
    regcontext: [],
    regextenonqualify: false,
    tcpauthtimeout: 30,
    tcpauthlimit: 100,
    websocketEnabled: true,
    websocketWriteTimeout: 100,
    rtcachefriends: false,
    rtautoclear: false,
    rtsavesysname: false,
    rtsavepath: false,
    rtupdate: true,
    ignoreregexpire: false,
    sipdebug: false,
    recordhistory: false,
    dumphistory: false,
    authfailureevents: false,
    pedantic: true,
    compactheaders: false,
    relaxdtmf: false,
    prematuremedia: true,
    shrinkcallerid: true,
    sendDiversion: true,
    legacyUseroptionParsing: false,
    directrtpsetup: false,
    notifyringing: 'yes',
    notifyhold: false,
    notifycid: 'no',
    notifymimetype: 'application/simple-message-summary',
    storesipcause: false,
    referAddheaders: true,
    subscribeNetworkChangeEvent: true,
    tos: { sip: 0, audio: 0, video: 0, text: 0 },
    cos: { sip: 4, audio: 5, video: 6, text: 5 },
    jitterBuffer: {
      enabled: false,
      forced: false,
      maxSize: 200,
      resyncThreshold: 1000,
      implementation: 'fixed',
      targetExtra: 40,
      log: false,
      syncVideo: false,
    },
    registrations: [],
    mwiSubscriptions: [],
    usernameDeprecationReported: false,
  };
}

/**
 * A device before its first line: a copy of the general device defaults plus empty device
 * fields. One literal listing every field keeps V8's fast object layout (about 1 KB per
 * device instead of several KB for a dictionary-mode object built by spreading).
 */
export function newDeviceDraft(name: string, defaults: SipPeerSettings): DeviceDraft {
  return {
    context: defaults.context,
    subscribecontext: defaults.subscribecontext,
    messageContext: defaults.messageContext,
    language: defaults.language,
    tonezone: defaults.tonezone,
    mohinterpret: defaults.mohinterpret,
    mohsuggest: defaults.mohsuggest,
    parkinglot: defaults.parkinglot,
    vmexten: defaults.vmexten,
    mwiFrom: defaults.mwiFrom,
    recordOnFeature: defaults.recordOnFeature,
    recordOffFeature: defaults.recordOffFeature,
    nat: defaults.nat,
    dtmfmode: defaults.dtmfmode,
    directmedia: defaults.directmedia,
    insecure: defaults.insecure,
    progressinband: defaults.progressinband,
    trustrpid: defaults.trustrpid,
    sendrpid: defaults.sendrpid,
    trustIdOutbound: defaults.trustIdOutbound,
    rpidUpdate: defaults.rpidUpdate,
    rpidImmediate: defaults.rpidImmediate,
    supportPath: defaults.supportPath,
    g726nonstandard: defaults.g726nonstandard,
    useclientcode: defaults.useclientcode,
    promiscredir: defaults.promiscredir,
    usereqphone: defaults.usereqphone,
    videosupport: defaults.videosupport,
    textsupport: defaults.textsupport,
    allowoverlap: defaults.allowoverlap,
    allowsubscribe: defaults.allowsubscribe,
    allowtransfer: defaults.allowtransfer,
    ignoresdpversion: defaults.ignoresdpversion,
    faxdetect: defaults.faxdetect,
    t38: defaults.t38,
    rfc2833compensate: defaults.rfc2833compensate,
    buggymwi: defaults.buggymwi,
    rtcpMux: defaults.rtcpMux,
    codecs: defaults.codecs,
    preferredCodecOnly: defaults.preferredCodecOnly,
    autoframing: defaults.autoframing,
    rtptimeout: defaults.rtptimeout,
    rtpholdtimeout: defaults.rtpholdtimeout,
    rtpkeepalive: defaults.rtpkeepalive,
    maxcallbitrate: defaults.maxcallbitrate,
    qualify: defaults.qualify,
    qualifyfreq: defaults.qualifyfreq,
    keepalive: defaults.keepalive,
    callcounter: defaults.callcounter,
    sessionTimers: defaults.sessionTimers,
    timerT1: defaults.timerT1,
    timerB: defaults.timerB,
    maxforwards: defaults.maxforwards,
    disallowedMethods: defaults.disallowedMethods,
    useQ850Reason: defaults.useQ850Reason,
    transports: defaults.transports,
    icesupport: defaults.icesupport,
    discardRemoteHoldRetrieval: defaults.discardRemoteHoldRetrieval,
    snomAocEnabled: defaults.snomAocEnabled,
    dtls: defaults.dtls,
    name,
    sections: [],
    isUser: false,
    isPeer: false,
    secret: '',
    md5secret: '',
    remotesecret: '',
    defaultuser: '',
    fromuser: '',
    callerid: { name: '', number: '' },
    cidTag: '',
    mailboxes: [],
    subscribemwi: false,
    unsolicitedMailbox: '',
    description: '',
    regexten: '',
    callbackextension: '',
    acl: OPEN_ACCESS,
    contactAcl: OPEN_ACCESS,
    directmediaAcl: OPEN_ACCESS,
    callLimit: defaults.callcounter ? UNLIMITED_CALLS : 0,
    busylevel: 0,
    setvars: [],
    headers: [],
    auth: [],
    accountcode: '',
    callgroup: [],
    pickupgroup: [],
    namedcallgroup: [],
    namedpickupgroup: [],
    rtpEngine: 'asterisk',
    encryption: false,
    encryptionTaglen32: false,
    avpf: false,
    forceAvp: false,
    ignoreRequestedPref: false,
    callCompletion: {},
  };
}
