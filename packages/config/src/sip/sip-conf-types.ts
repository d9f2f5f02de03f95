import type { AccessControl } from '../acl/access-control.js';
import type { SourceLocation } from '../conf-types.js';
import type { HostPort, SocketAddress } from '../values/ip-address.js';
import type { IpNetwork } from '../values/ip-network.js';
import type { CodecPreference } from './codec-preferences.js';

/** SIP transports chan_sip knows (`transport=`). */
export type SipTransport = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

/** `nat=`: the four chan_sip flags (sip/config_parser.c `sip_parse_nat_option()`). */
export interface NatSetting {
  /** `force_rport`: always reply to the packet's source. */
  readonly forceRport: boolean;
  /** `comedia`: send RTP where the peer's RTP comes from. */
  readonly comedia: boolean;
  /** `auto_force_rport` (default): force_rport when NAT is detected. */
  readonly autoForceRport: boolean;
  /** `auto_comedia`: comedia when NAT is detected. */
  readonly autoComedia: boolean;
}

/** `directmedia=` / `canreinvite=`. */
export interface DirectMediaSetting {
  /** Re-INVITE the endpoints to send media to each other. */
  readonly enabled: boolean;
  /** Set by `yes`, cleared by `nonat` (and absent by default): allow it for NAT-detected endpoints too. */
  readonly evenBehindNat: boolean;
  /** `update`: redirect media with UPDATE instead of re-INVITE. */
  readonly method: 'invite' | 'update';
  /** `outgoing`: skip the first direct-media re-INVITE on the inbound leg. */
  readonly outgoing: boolean;
}

/** `insecure=`: `port`, `invite`, both, or `no`. */
export interface InsecureSetting {
  /** Match a UDP peer by IP address alone, ignoring the port. */
  readonly port: boolean;
  /** Do not authenticate INVITEs from this peer. */
  readonly invite: boolean;
}

/** `session-timers`, `session-expires`, `session-minse`, `session-refresher` (RFC 4028). */
export interface SessionTimerSetting {
  readonly mode: 'accept' | 'originate' | 'refuse';
  /** Seconds (default 1800). */
  readonly expires: number;
  /** Seconds, at least 90 (default 90). */
  readonly minSe: number;
  readonly refresher: 'uac' | 'uas';
}

/** `t38pt_udptl`, `t38pt_usertpsource`. */
export interface T38Setting {
  /** `no` (default), or the UDPTL error correction offered: `fec`, `redundancy`, `none`. */
  readonly support: 'no' | 'fec' | 'redundancy' | 'none';
  /** `maxdatagram=N` override; absent = the codec's default. */
  readonly maxDatagram?: number;
  readonly useRtpSource: boolean;
}

/** `dtls*` options (main/rtp_engine.c `ast_rtp_dtls_cfg_parse()`). */
export interface DtlsSetting {
  readonly enabled: boolean;
  readonly verify: 'no' | 'yes' | 'fingerprint' | 'certificate';
  /** Renegotiation interval in seconds (0 = never). */
  readonly rekey: number;
  readonly autoGenerateCert: boolean;
  readonly certFile: string;
  readonly privateKey: string;
  readonly cipher: string;
  readonly caFile: string;
  readonly caPath: string;
  readonly setup: 'active' | 'passive' | 'actpass';
  readonly fingerprint: 'sha-256' | 'sha-1';
}

/** An `outboundproxy=[transport://]host[:port][,force]` value. */
export interface OutboundProxy {
  readonly transport: 'udp' | 'tcp' | 'tls';
  readonly host: string;
  /** Absent when not written (then 5060, or 5061 for tls, and SRV may apply). */
  readonly port?: number;
  /** `,force`: send everything through the proxy even with a Route set. */
  readonly force: boolean;
}

/** A digest credential for a remote realm (`auth = user:secret@realm` or `user#md5@realm`). */
export interface SipRealmAuth extends SourceLocation {
  readonly user: string;
  readonly realm: string;
  readonly secret?: string;
  readonly md5secret?: string;
}

/** One `domain = name[,context]` line. */
export interface SipDomain {
  readonly domain: string;
  /** Context for calls to this domain from devices without `context=` (and guests). */
  readonly context?: string;
}

/** The TLS listener and client settings (main/tcptls.c `ast_tls_read_conf()`). */
export interface TlsSetting {
  readonly enabled: boolean;
  /** Default: the UDP bind address with port 5061. */
  readonly bindAddress: SocketAddress;
  /** Default `asterisk.pem` (relative names are under Asterisk's key directory). */
  readonly certFile: string;
  readonly privateKey: string;
  readonly caFile: string;
  readonly caPath: string;
  readonly cipher: string;
  readonly clientMethod: 'tlsv1' | 'sslv3' | 'sslv2' | 'default';
  readonly verifyClient: boolean;
  readonly dontVerifyServer: boolean;
  readonly serverCipherOrder: boolean;
  readonly disableTlsV1: boolean;
  readonly disableTlsV11: boolean;
  readonly disableTlsV12: boolean;
}

/** Jitter buffer options (`jb*`, main/abstract_jb.c `ast_jb_read_conf()`). */
export interface JitterBufferSetting {
  readonly enabled: boolean;
  readonly forced: boolean;
  /** Milliseconds (default 200). */
  readonly maxSize: number;
  /** Milliseconds (default 1000). */
  readonly resyncThreshold: number;
  readonly implementation: 'fixed' | 'adaptive';
  /** Milliseconds (default 40). */
  readonly targetExtra: number;
  readonly log: boolean;
  readonly syncVideo: boolean;
}

/**
 * The settings `[general]` gives every device and a device section may override (the
 * options marked G+P in the reference). Devices start from `general.deviceDefaults`.
 */
export interface SipPeerSettings {
  readonly context: string;
  readonly subscribecontext: string;
  /** `outofcall_message_context` (empty = the device's context). */
  readonly messageContext: string;
  readonly language: string;
  readonly tonezone: string;
  readonly mohinterpret: string;
  readonly mohsuggest: string;
  readonly parkinglot: string;
  readonly vmexten: string;
  readonly mwiFrom: string;
  readonly recordOnFeature: string;
  readonly recordOffFeature: string;
  readonly nat: NatSetting;
  readonly dtmfmode: 'rfc2833' | 'info' | 'shortinfo' | 'inband' | 'auto';
  readonly directmedia: DirectMediaSetting;
  readonly insecure: InsecureSetting;
  readonly progressinband: 'no' | 'yes' | 'never';
  readonly trustrpid: boolean;
  readonly sendrpid: 'no' | 'rpid' | 'pai';
  readonly trustIdOutbound: 'legacy' | 'yes' | 'no';
  readonly rpidUpdate: boolean;
  readonly rpidImmediate: boolean;
  readonly supportPath: boolean;
  readonly g726nonstandard: boolean;
  readonly useclientcode: boolean;
  readonly promiscredir: boolean;
  readonly usereqphone: boolean;
  readonly videosupport: 'no' | 'yes' | 'always';
  readonly textsupport: boolean;
  readonly allowoverlap: 'no' | 'yes' | 'dtmf';
  readonly allowsubscribe: boolean;
  readonly allowtransfer: boolean;
  readonly ignoresdpversion: boolean;
  readonly faxdetect: { readonly cng: boolean; readonly t38: boolean };
  readonly t38: T38Setting;
  readonly rfc2833compensate: boolean;
  readonly buggymwi: boolean;
  readonly rtcpMux: boolean;
  /** `allow`/`disallow` applied in order: the codec preference list. */
  readonly codecs: readonly CodecPreference[];
  readonly preferredCodecOnly: boolean;
  readonly autoframing: boolean;
  /** Seconds without RTP before hang-up (0 = off). */
  readonly rtptimeout: number;
  readonly rtpholdtimeout: number;
  readonly rtpkeepalive: number;
  /** kbps. */
  readonly maxcallbitrate: number;
  /** Maximum round trip in ms before a peer is UNREACHABLE (0 = no qualify). */
  readonly qualify: number;
  /** Milliseconds between qualify OPTIONS. */
  readonly qualifyfreq: number;
  /** Seconds between CRLF keep-alives (0 = off). */
  readonly keepalive: number;
  /** `callcounter=yes` in `[general]`: devices count calls (call limit unlimited). */
  readonly callcounter: boolean;
  readonly sessionTimers: SessionTimerSetting;
  /** Timer T1 in ms. */
  readonly timerT1: number;
  /** Timer B in ms. */
  readonly timerB: number;
  readonly maxforwards: number;
  /** `disallowed_methods`, upper-case SIP method names. */
  readonly disallowedMethods: readonly string[];
  readonly useQ850Reason: boolean;
  /** Allowed transports, the first being the default for outbound requests. */
  readonly transports: readonly SipTransport[];
  readonly icesupport: boolean;
  readonly discardRemoteHoldRetrieval: boolean;
  readonly snomAocEnabled: boolean;
  readonly dtls: DtlsSetting;
}

/** `[general]` of sip.conf, with chan_sip's defaults (Asterisk 20 `reload_config()`). */
export interface SipGeneral {
  /** `bindaddr`/`udpbindaddr` with `bindport` (or legacy `port`) applied; default 0.0.0.0:5060. */
  readonly udpBindAddress: SocketAddress & { readonly port: number };
  readonly tcpEnabled: boolean;
  /** Default: the UDP bind address with port 5060. */
  readonly tcpBindAddress: SocketAddress & { readonly port: number };
  readonly tls: TlsSetting;
  readonly srvlookup: boolean;
  readonly outboundproxy?: OutboundProxy;
  /** Our public address for Via/Contact/SDP toward outside `localnet` (port 0 or absent: the bind port). */
  readonly externaddr?: SocketAddress;
  readonly externhost?: string;
  /** Seconds between `externhost` lookups. */
  readonly externrefresh: number;
  readonly externtcpport?: number;
  readonly externtlsport?: number;
  readonly localnet: readonly IpNetwork[];
  readonly matchexternaddrlocally: boolean;
  readonly mediaAddress?: SocketAddress;
  readonly rtpBindAddress?: SocketAddress;
  readonly allowguest: boolean;
  readonly alwaysauthreject: boolean;
  readonly matchAuthUsername: boolean;
  /** Digest realm: `realm`, else asterisk.conf `systemname`, else `asterisk`. */
  readonly realm: string;
  readonly domainsasrealm: boolean;
  readonly domains: readonly SipDomain[];
  readonly autodomain: boolean;
  readonly allowexternaldomains: boolean;
  readonly autocreatepeer: 'no' | 'yes' | 'persist';
  readonly contactAcl: AccessControl;
  readonly dynamicExcludeStatic: boolean;
  readonly authOptionsRequests: boolean;
  readonly authMessageRequests: boolean;
  readonly acceptOutofcallMessage: boolean;
  readonly defaultexpiry: number;
  readonly minexpiry: number;
  readonly maxexpiry: number;
  readonly subminexpiry: number;
  readonly submaxexpiry: number;
  readonly mwiexpiry: number;
  /** Seconds before an unanswered outbound REGISTER is retried. */
  readonly registertimeout: number;
  /** 0 = retry forever. */
  readonly registerattempts: number;
  readonly registerRetry403: boolean;
  readonly useragent: string;
  readonly sdpsession: string;
  readonly sdpowner: string;
  /** From user when a call has no caller number. */
  readonly callerid: string;
  readonly fromdomain?: HostPort & { readonly port: number };
  /** Milliseconds between qualify bursts. */
  readonly qualifygap: number;
  readonly qualifypeers: number;
  /** Smallest T1 a device may use (ms). */
  readonly t1min: number;
  /** `regcontext` split at `&`. */
  readonly regcontext: readonly string[];
  readonly regextenonqualify: boolean;
  readonly tcpauthtimeout: number;
  readonly tcpauthlimit: number;
  readonly websocketEnabled: boolean;
  readonly websocketWriteTimeout: number;
  readonly rtcachefriends: boolean;
  /** Seconds after which cached realtime peers expire, or `false` when off. */
  readonly rtautoclear: number | false;
  readonly rtsavesysname: boolean;
  readonly rtsavepath: boolean;
  readonly rtupdate: boolean;
  readonly ignoreregexpire: boolean;
  readonly sipdebug: boolean;
  readonly recordhistory: boolean;
  readonly dumphistory: boolean;
  readonly authfailureevents: boolean;
  readonly pedantic: boolean;
  readonly compactheaders: boolean;
  readonly relaxdtmf: boolean;
  readonly prematuremedia: boolean;
  readonly shrinkcallerid: boolean;
  readonly sendDiversion: boolean;
  readonly legacyUseroptionParsing: boolean;
  readonly directrtpsetup: boolean;
  readonly notifyringing: 'yes' | 'no' | 'notinuse';
  readonly notifyhold: boolean;
  readonly notifycid: 'yes' | 'no' | 'ignore-context';
  readonly notifymimetype: string;
  readonly storesipcause: boolean;
  readonly referAddheaders: boolean;
  readonly subscribeNetworkChangeEvent: boolean;
  readonly tos: { readonly sip: number; readonly audio: number; readonly video: number; readonly text: number };
  readonly cos: { readonly sip: number; readonly audio: number; readonly video: number; readonly text: number };
  readonly jitterBuffer: JitterBufferSetting;
  /**
   * What every device starts from: the G+P options of `[general]`. `deviceDefaults.context`
   * is also the context of guests (`allowguest`) and of devices without `context=`.
   */
  readonly deviceDefaults: SipPeerSettings;
}

/** A device's `host=`. */
export type SipDeviceHost = { readonly kind: 'dynamic' } | { readonly kind: 'static'; readonly host: string };

/** One `[name]` device of sip.conf (all sections of the same name merged, as chan_sip does). */
export interface SipDevice extends SipPeerSettings {
  readonly name: string;
  /** Where each section of this name starts. */
  readonly sections: readonly SourceLocation[];
  /** `type=user` or `friend`: matched by From name for inbound calls. */
  readonly isUser: boolean;
  /** `type=peer` or `friend`: matched by source address; callable. */
  readonly isPeer: boolean;
  /** Absent when the section has no `host=` line. */
  readonly host?: SipDeviceHost;
  readonly defaultip?: string;
  /** `port=`: also written in the Request-URI and disables SRV. */
  readonly port?: number;
  readonly secret: string;
  readonly md5secret: string;
  readonly remotesecret: string;
  /** `defaultuser` (or the deprecated `username`). */
  readonly defaultuser: string;
  readonly fromuser: string;
  readonly fromdomain?: HostPort & { readonly port: number };
  /** From `callerid="Name" <num>`, `fullname`, `cid_number`. */
  readonly callerid: { readonly name: string; readonly number: string };
  readonly cidTag: string;
  /** `callingpres` as Asterisk's presentation number. */
  readonly callingpres?: number;
  readonly mailboxes: readonly string[];
  readonly subscribemwi: boolean;
  readonly unsolicitedMailbox: string;
  readonly description: string;
  readonly regexten: string;
  readonly callbackextension: string;
  readonly outboundproxy?: OutboundProxy;
  readonly acl: AccessControl;
  readonly contactAcl: AccessControl;
  readonly directmediaAcl: AccessControl;
  /** Concurrent call limit; `callcounter=yes` gives 2147483647 (chan_sip's INT_MAX); 0 = no counting. */
  readonly callLimit: number;
  readonly busylevel: number;
  /** `setvar = NAME=value`, in order (a later same name replaces the earlier value). */
  readonly setvars: readonly { readonly name: string; readonly value: string }[];
  /** `header = Name: value` lines, in order (added to INVITEs to and from the device). */
  readonly headers: readonly string[];
  readonly auth: readonly SipRealmAuth[];
  readonly accountcode: string;
  readonly amaflags?: 'default' | 'omit' | 'billing' | 'documentation';
  readonly callgroup: readonly number[];
  readonly pickupgroup: readonly number[];
  readonly namedcallgroup: readonly string[];
  readonly namedpickupgroup: readonly string[];
  readonly rtpEngine: string;
  readonly encryption: boolean;
  readonly encryptionTaglen32: boolean;
  readonly avpf: boolean;
  readonly forceAvp: boolean;
  readonly ignoreRequestedPref: boolean;
  /** Call completion (`cc_*`) options as written. */
  readonly callCompletion: Readonly<Record<string, string>>;
}

/** One `register =>` line (or the implicit one of a `callbackextension` device). */
export interface SipRegistration extends SourceLocation {
  /** The line's text; identical lines register once. */
  readonly configValue: string;
  /** `peer?`: the device whose host/port/transport/proxy reach the registrar. */
  readonly peer?: string;
  readonly transport: 'udp' | 'tcp' | 'tls';
  readonly user: string;
  /** `user@domain`: From/To host (default: the registrar host). */
  readonly domain?: string;
  readonly domainPort?: number;
  readonly secret: string;
  readonly authuser: string;
  readonly host: string;
  /** Registrar port: as written, else 5060 (5061 for tls). */
  readonly port: number;
  /** True when the line gave a port (which disables SRV). */
  readonly portGiven: boolean;
  /** User part of our Contact (default `s`). */
  readonly extension: string;
  /** Requested Expires (default `defaultexpiry`). */
  readonly expiry: number;
}

/** One `mwi => user[:secret[:authuser]]@host[:port]/mailbox` line. */
export interface SipMwiSubscription extends SourceLocation {
  readonly user: string;
  readonly secret?: string;
  readonly authuser?: string;
  readonly host: string;
  readonly port?: number;
  readonly mailbox: string;
}

/** The typed model of sip.conf. */
export interface SipConf {
  readonly general: SipGeneral;
  /** One entry per device name, in order of first appearance. */
  readonly devices: readonly SipDevice[];
  readonly registrations: readonly SipRegistration[];
  readonly mwiSubscriptions: readonly SipMwiSubscription[];
  /** `[authentication]` `auth =` entries. */
  readonly authentication: readonly SipRealmAuth[];
  /** Options present in the file that Tandem parses but does not act on yet. */
  readonly parsedOnlyOptions: readonly string[];
}
