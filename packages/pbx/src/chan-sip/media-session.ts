import type { SipPeerSettings } from '@tandem/config';
import type { MediaEndpoint } from '@tandem/media';
import { localT38Attributes } from './local-t38.js';
import {
  buildSdp,
  negotiateCodecs,
  offerCodecs,
  TELEPHONE_EVENT,
  passedFmtp,
  type DeclinedMedia,
  type ImageMedia,
  type MediaDirection,
  type MediaLine,
  type SdpMediaInit,
  type ParsedSdp,
  type SdpCodec,
} from '@tandem/sip';

/** An RTP address (where a party sends and wants its media). */
export interface MediaAddress {
  readonly address: string;
  readonly port: number;
}

/**
 * How the party holds the call (chan_sip SIP_PAGE2_CALL_ONHOLD): `onedir` for sendonly,
 * `inactive` for inactive, `active` for a 0.0.0.0 address with media still flowing both ways.
 */
export type RemoteHold = 'onedir' | 'inactive' | 'active';

/** How the session describes itself in SDP (sip.conf sdpowner/sdpsession). */
export interface SdpIdentity {
  readonly owner: string;
  readonly sessionName: string;
}

/**
 * A video or text stream beside the audio: its own relay endpoint (the relay does not look at
 * payloads) and the codecs agreed for it.
 */
export interface ExtraStream {
  readonly type: 'video' | 'text';
  readonly endpoint: MediaEndpoint;
  codecs: SdpCodec[];
}

/** One m= line of the party's offer and what we answer in its place (chan_sip offered_media). */
type AnswerSlot = { readonly accepted: 'audio' | 'video' | 'text' | 'image' } | DeclinedMedia;

/** Why an SDP from the party could not be used. */
export type SdpProblem = 'no-audio' | 'no-common-codec';

/**
 * One channel's audio: its RTP endpoint in the native engine plus chan_sip's SDP offer/answer
 * state (Asterisk 20: process_sdp(), add_sdp()): the codecs negotiated with the party, our
 * o= session id and version (the version grows with each changed SDP), and where the party
 * wants its RTP.
 */
export class MediaSession {
  /** Codecs agreed with the party, best first (their payload types). */
  codecs: SdpCodec[] = [];
  telephoneEvent: { readonly payloadType: number; readonly events: string } | undefined;
  /** The direction the party last asked for (sendonly/inactive = the party holds). */
  remoteDirection: MediaDirection = 'sendrecv';
  /** Where the party sends and wants RTP, from its SDP. */
  remote: MediaAddress | undefined;
  /** Whether (and how) the party holds the call, from its last offer. */
  hold: RemoteHold | undefined;
  /**
   * chan_sip ast_rtp_instance_stop() on a sendonly/inactive hold: the party's address is no longer
   * one to send media to, so a directly bridged party is not pointed at it.
   */
  #stopped = false;
  /**
   * While a T.38 fax is passed through: our UDPTL port toward the party and the T.38 parameters
   * to write (chan_sip add_t38_sdp()); our SDP then offers or answers m=image instead of audio.
   */
  t38: { readonly port: number; readonly attributes: readonly string[] } | undefined;
  /** Where we tell the party to send its RTP instead of our relay (chan_sip redirip): direct media. */
  #redirect: MediaAddress | undefined;
  readonly #sessionId = String(Math.floor(Math.random() * 2 ** 31));
  #version = Math.floor(Math.random() * 2 ** 31);
  #lastSdp: string | undefined;
  /** The party's a=ptime, if it gave one. */
  #remotePtime: number | undefined;
  /** Video and text streams (allocated on first use, released with the session). */
  readonly #extra = new Map<'video' | 'text', ExtraStream>();
  /**
   * A T.38 stream that ends here (no bridged leg to pass it to): a relay endpoint holds its UDPTL
   * port, and nothing reads the fax (chan_sip's UDPTL instance with no fax application).
   */
  #localImage: { readonly endpoint: MediaEndpoint; attributes: string[] } | undefined;
  /** The m= lines of the party's last offer, answered in the same order; undefined when we offered. */
  #slots: AnswerSlot[] | undefined;

  constructor(
    readonly endpoint: MediaEndpoint,
    private readonly settings: SipPeerSettings,
    /** The address written in o= and c= (our address toward the party). */
    public address: string,
    private readonly identity: SdpIdentity,
    /** nat=comedia (or auto_comedia with NAT detected): latch onto the RTP source. */
    readonly symmetric: boolean,
    /** Allocates the relay endpoint of a video/text stream (near the audio one). */
    private readonly allocateExtra?: () => MediaEndpoint,
  ) {
    endpoint.setDtmfMode(settings.dtmfmode);
  }

  /** The device's codec names in preference order (`allow` with `name:ms` framing). */
  get allow(): string[] {
    return this.settings.codecs
      .filter((codec) => codec.kind === 'audio')
      .map((codec) => (codec.framingMs === undefined ? codec.name : `${codec.name}:${codec.framingMs}`));
  }

  /** The first negotiated audio codec's name (`ulaw`, `alaw`, ...). */
  get primaryCodec(): string | undefined {
    return this.codecs[0]?.codec.name;
  }

  /** Whether RFC 4733 events are offered/answered (dtmfmode rfc2833 or auto). */
  get #wantsTelephoneEvent(): boolean {
    return this.settings.dtmfmode === 'rfc2833' || this.settings.dtmfmode === 'auto';
  }

  /**
   * Takes the party's offer (inbound INVITE, re-INVITE): the joint codecs in our `allow`
   * order, with `preferred` first (the codec of the channel we are bridged with).
   */
  acceptOffer(sdp: ParsedSdp, preferred: readonly string[] = []): SdpProblem | undefined {
    const slots: AnswerSlot[] = [];
    let audio: MediaLine | undefined;
    let audioCodecs: ReturnType<typeof negotiateCodecs> | undefined;
    const extras = new Map<'video' | 'text', { line: MediaLine; codecs: SdpCodec[] }>();
    let image: MediaLine | undefined;
    for (const line of sdp.media) {
      const declined: DeclinedMedia = { declined: true, type: line.type, protocol: line.protocol, formats: line.formatList };
      // chan_sip process_sdp(): only plain RTP/AVP(F) is taken; SAVP without SRTP and port 0 are declined.
      const usable = line.port > 0 && /^RTP\/AVPF?$/i.test(line.protocol);
      // Audio keeps Tandem's earlier rule: the first audio line with a port, whatever its profile.
      if (line.type === 'audio' && line.port > 0 && audio === undefined) {
        const negotiation = negotiateCodecs(line, this.allow, { preferred, telephoneEvent: this.#wantsTelephoneEvent });
        if (negotiation.codecs.length > 0) {
          audio = line;
          audioCodecs = negotiation;
          slots.push({ accepted: 'audio' });
          continue;
        }
      } else if (usable && (line.type === 'video' || line.type === 'text') && !extras.has(line.type) && this.#supports(line.type)) {
        const codecs = negotiateCodecs(line, this.#allowOf(line.type)).codecs;
        if (codecs.length > 0) {
          extras.set(line.type, { line, codecs });
          slots.push({ accepted: line.type });
          continue;
        }
      } else if (line.type === 'image' && image === undefined && line.port > 0 && this.#takesT38(line)) {
        image = line;
        slots.push({ accepted: 'image' });
        continue;
      }
      slots.push(declined);
    }
    if (audio === undefined && extras.size === 0 && image === undefined) {
      return sdp.media.some((line) => line.type === 'audio' && line.port > 0) ? 'no-common-codec' : 'no-audio';
    }
    for (const [type, { line, codecs }] of extras) {
      const stream = this.#stream(type);
      if (stream === undefined) return 'no-common-codec';
      stream.codecs = codecs;
      if (line.address !== undefined) stream.endpoint.setRemote(line.address, line.port, { symmetric: this.symmetric });
    }
    if (image !== undefined && !this.#takeImage(sdp, image)) return 'no-common-codec';
    this.#slots = slots;
    if (audio !== undefined && audioCodecs !== undefined) {
      this.codecs = audioCodecs.codecs;
      this.telephoneEvent = audioCodecs.telephoneEvent;
      this.#applyRemote(audio);
      this.#applyHold(audio);
    } else {
      this.codecs = [];
      this.telephoneEvent = undefined;
    }
    return undefined;
  }

  /** The video or text stream, when one was negotiated. */
  extraStream(type: 'video' | 'text'): ExtraStream | undefined {
    const stream = this.#extra.get(type);
    return stream !== undefined && stream.codecs.length > 0 ? stream : undefined;
  }

  /** Releases every relay endpoint of the session (audio, video, text). */
  release(): void {
    // Extra streams first: the audio endpoint's release may throw when it is gone already.
    for (const stream of this.#extra.values()) stream.endpoint.release();
    this.#localImage?.endpoint.release();
    this.endpoint.release();
  }

  /** chan_sip process_sdp(): `m=image <port> udptl t38` is taken with t38pt_udptl; RTP/AVP or SAVP t38 is not. */
  #takesT38(line: MediaLine): boolean {
    return this.settings.t38.support !== 'no' && line.protocol.toLowerCase() === 'udptl' && line.formatList.toLowerCase() === 't38';
  }

  /** Opens (once) the UDPTL port of a T.38 stream that ends here and answers the offer's parameters. */
  #takeImage(sdp: ParsedSdp, line: MediaLine): boolean {
    if (this.#localImage === undefined) {
      if (this.allocateExtra === undefined) return false;
      this.#localImage = { endpoint: this.allocateExtra(), attributes: [] };
    }
    const index = sdp.media.indexOf(line);
    const offered = (sdp.session.media?.[index]?.invalid ?? []).map((entry) => entry.value).filter((value) => /^t38/i.test(value));
    this.#localImage.attributes = localT38Attributes(offered, this.settings.t38);
    return true;
  }

  /** videosupport / textsupport (chan_sip SIP_PAGE2_VIDEOSUPPORT, SIP_PAGE2_TEXTSUPPORT). */
  #supports(type: 'video' | 'text'): boolean {
    return type === 'video' ? this.settings.videosupport !== 'no' : this.settings.textsupport;
  }

  /** The device's codecs of a kind; textsupport adds T.140 as chan_sip does for its text capability. */
  #allowOf(type: 'video' | 'text'): string[] {
    const names = this.settings.codecs.filter((codec) => codec.kind === type).map((codec) => codec.name);
    if (type === 'text' && this.settings.textsupport && !names.includes('t140')) names.push('t140');
    return names;
  }

  #stream(type: 'video' | 'text'): ExtraStream | undefined {
    const existing = this.#extra.get(type);
    if (existing !== undefined || this.allocateExtra === undefined) return existing;
    const created: ExtraStream = { type, endpoint: this.allocateExtra(), codecs: [] };
    this.#extra.set(type, created);
    return created;
  }

  /**
   * Where a party bridged directly with this one should send its media (chan_sip's RTP instance
   * remote address): none while this party holds with sendonly/inactive.
   */
  get directTarget(): MediaAddress | undefined {
    return this.#stopped ? undefined : this.remote;
  }

  /** Where the party is told to send its media while it is bridged directly; undefined = our relay. */
  get redirect(): MediaAddress | undefined {
    return this.#redirect;
  }

  /**
   * Points the party's media at `target` (undefined = back to our relay), as chan_sip
   * sip_set_rtp_peer() sets redirip; true when that changed what our SDP says.
   */
  setRedirect(target: MediaAddress | undefined): boolean {
    const before = this.#redirect;
    if (before?.address === target?.address && before?.port === target?.port) return false;
    this.#redirect = target === undefined ? undefined : { address: target.address, port: target.port };
    return true;
  }

  /**
   * Takes the party's answer to our offer: the codecs it kept, in its order, with its payload
   * types (RFC 3264 §6).
   */
  acceptAnswer(sdp: ParsedSdp): SdpProblem | undefined {
    const audio = firstAudio(sdp);
    if (audio === undefined) return 'no-audio';
    const ours = offerCodecs(this.allow);
    const chosen: SdpCodec[] = [];
    for (const format of audio.codecs) {
      const mine = ours.find((entry) => entry.codec.name === format.codec?.name);
      if (mine !== undefined && !chosen.some((entry) => entry.codec.name === mine.codec.name)) {
        chosen.push({ ...mine, payloadType: format.payloadType, ...(format.fmtp === undefined ? {} : { fmtp: format.fmtp }) });
      }
    }
    if (chosen.length === 0) return 'no-common-codec';
    this.codecs = chosen;
    const dtmf = audio.telephoneEvent;
    this.telephoneEvent = dtmf !== undefined && this.#wantsTelephoneEvent ? { payloadType: dtmf.payloadType, events: '0-16' } : undefined;
    this.#applyRemote(audio);
    for (const stream of this.#extra.values()) this.#acceptExtraAnswer(stream, sdp);
    return undefined;
  }

  /** The party's answer for a video/text stream we offered: its codecs and address, or declined. */
  #acceptExtraAnswer(stream: ExtraStream, sdp: ParsedSdp): void {
    const line = sdp.media.find((entry) => entry.type === stream.type);
    const offered = stream.codecs;
    stream.codecs = [];
    if (line === undefined || line.port === 0) return;
    for (const format of line.codecs) {
      const mine = offered.find((entry) => entry.codec.name === format.codec?.name);
      if (mine === undefined || stream.codecs.some((entry) => entry.codec.name === mine.codec.name)) continue;
      const fmtp = passedFmtp(mine.codec.name, format.fmtp);
      stream.codecs.push({ codec: mine.codec, payloadType: format.payloadType, ...(fmtp === undefined ? {} : { fmtp }) });
    }
    if (stream.codecs.length > 0 && line.address !== undefined) stream.endpoint.setRemote(line.address, line.port, { symmetric: this.symmetric });
  }

  /**
   * Our offer (outbound INVITE): the device's codecs with `preferred` first, then `narrow`ed
   * (SIP_CODEC_OUTBOUND).
   */
  offer(
    preferred: readonly string[] = [],
    narrow: (codecs: SdpCodec[]) => SdpCodec[] = (codecs) => codecs,
    /** The bridged caller's streams: video/text are offered when it has them (or videosupport=always). */
    requestor: { readonly video?: readonly SdpCodec[]; readonly text?: readonly SdpCodec[] } = {},
  ): string {
    this.#slots = undefined;
    for (const type of ['video', 'text'] as const) {
      const theirs = requestor[type];
      const always = type === 'video' && this.settings.videosupport === 'always';
      if (!this.#supports(type) || (theirs === undefined && !always)) continue;
      const mine = offerCodecs(this.#allowOf(type), type);
      // The caller's codecs we allow, with its fmtp passed through (chan_sip copies the format attributes).
      const codecs =
        theirs === undefined
          ? mine
          : mine.flatMap((entry) => {
              const match = theirs.find((other) => other.codec.name === entry.codec.name);
              const fmtp = match?.fmtp === undefined ? undefined : passedFmtp(entry.codec.name, match.fmtp);
              return match === undefined ? [] : [{ ...entry, ...(fmtp === undefined ? {} : { fmtp }) }];
            });
      const stream = codecs.length > 0 ? this.#stream(type) : undefined;
      if (stream !== undefined) stream.codecs = codecs;
    }
    const ours = offerCodecs(this.allow);
    const order = [
      ...preferred.flatMap((name) => ours.filter((entry) => entry.codec.name === name)),
      ...ours.filter((entry) => !preferred.includes(entry.codec.name)),
    ];
    this.codecs = narrow(order);
    this.telephoneEvent = this.#wantsTelephoneEvent ? { payloadType: TELEPHONE_EVENT.payloadType, events: TELEPHONE_EVENT.events } : undefined;
    return this.#sdp('sendrecv');
  }

  /** Our answer, or our current description for a re-INVITE/183 (`direction` when we hold). */
  describe(direction: MediaDirection = 'sendrecv'): string {
    return this.#sdp(direction);
  }

  /**
   * Our answer to the party's offer, in the direction chan_sip add_sdp() writes for its hold
   * state: recvonly to a sendonly hold, inactive to an inactive one, sendrecv otherwise.
   */
  answer(): string {
    return this.#sdp(this.hold === 'onedir' ? 'recvonly' : this.hold === 'inactive' ? 'inactive' : 'sendrecv');
  }

  #sdp(direction: MediaDirection): string {
    const audioBody = (version: number) =>
      buildSdp({
        owner: this.identity.owner,
        sessionId: this.#sessionId,
        sessionVersion: version,
        sessionName: this.identity.sessionName,
        originAddress: this.address,
        // chan_sip add_sdp(): o= keeps our address, c= and the port say where media goes.
        ...(this.#redirect === undefined ? {} : { connectionAddress: this.#redirect.address }),
        // chan_sip add_sdp(): b=CT:<maxcallbitrate> when a video stream is written.
        ...(this.settings.maxcallbitrate > 0 ? { maxCallBitrate: this.settings.maxcallbitrate } : {}),
        media: this.#mediaLines(direction),
      });
    const t38 = this.t38;
    const body = t38 === undefined ? audioBody : (version: number) => withT38(audioBody(version), t38.port, t38.attributes);
    // chan_sip add_sdp(): the o= version only grows when the content changed.
    const unchanged = body(this.#version);
    if (this.#lastSdp !== undefined && unchanged !== this.#lastSdp) {
      this.#version += 1;
      this.#lastSdp = body(this.#version);
    } else {
      this.#lastSdp = unchanged;
    }
    return this.#lastSdp;
  }

  /**
   * The m= lines we write: in an answer, one per offered line in its order (declined ones with
   * port 0); in an offer, audio then the video/text streams we have.
   */
  #mediaLines(direction: MediaDirection): (SdpMediaInit | DeclinedMedia | ImageMedia)[] {
    const audio: SdpMediaInit = {
      type: 'audio',
      port: this.#redirect?.port ?? this.endpoint.rtpPort,
      codecs: this.codecs,
      ...(this.telephoneEvent === undefined ? {} : { telephoneEvent: this.telephoneEvent }),
      direction,
    };
    const extra = (type: 'video' | 'text'): SdpMediaInit | undefined => {
      const stream = this.extraStream(type);
      return stream === undefined ? undefined : { type, port: stream.endpoint.rtpPort, codecs: stream.codecs, direction };
    };
    if (this.#slots === undefined) {
      return [audio, extra('video'), extra('text')].filter((line): line is SdpMediaInit => line !== undefined);
    }
    return this.#slots.map((slot) => {
      if ('declined' in slot) return slot;
      if (slot.accepted === 'image') {
        // Passed through to a bridged leg (this.t38) or ending here.
        const port = this.t38?.port ?? this.#localImage?.endpoint.rtpPort ?? 0;
        return { type: 'image', port, attributes: this.t38?.attributes ?? this.#localImage?.attributes ?? [] };
      }
      return slot.accepted === 'audio' ? audio : (extra(slot.accepted) ?? { declined: true, type: slot.accepted, protocol: 'RTP/AVP', formats: '0' });
    });
  }

  /** chan_sip process_sdp(): sendonly is a one-way hold, inactive an inactive one, 0.0.0.0 an active one. */
  #applyHold(audio: MediaLine): void {
    const sendonly = audio.direction === 'sendonly' ? 1 : audio.direction === 'inactive' ? 2 : 0;
    const noAddress = audio.address === undefined || audio.address === '0.0.0.0' || audio.address === '::';
    if (this.hold !== undefined && !noAddress && sendonly === 0) {
      this.hold = undefined;
      this.#stopped = false;
    } else if (noAddress || sendonly !== 0) {
      this.hold = sendonly === 1 ? 'onedir' : sendonly === 2 ? 'inactive' : 'active';
      this.#stopped = sendonly !== 0;
    } else {
      this.#stopped = false;
    }
  }

  #applyRemote(audio: MediaLine): void {
    this.remoteDirection = audio.direction;
    const address = audio.address;
    if (address !== undefined && audio.port > 0) {
      this.remote = { address, port: audio.port };
      this.endpoint.setRemote(address, audio.port, { symmetric: this.symmetric });
    }
    this.#remotePtime = audio.ptime;
    this.#sendFirstCodec();
  }

  /**
   * Narrows the joint codecs (SIP_CODEC* variables, try_suggested_sip_codec()): what we describe
   * from now on; RTP follows the new first codec once the party's address is known.
   */
  narrowCodecs(codecs: SdpCodec[]): void {
    const before = this.codecs[0];
    this.codecs = codecs;
    if (this.remote !== undefined && this.codecs[0] !== before) this.#sendFirstCodec();
  }

  /** RTP is sent with the first joint codec, at the party's ptime, else its framing. */
  #sendFirstCodec(): void {
    const first = this.codecs[0];
    if (first !== undefined) {
      this.endpoint.setCodec({
        payloadType: first.payloadType,
        name: first.codec.encoding,
        clockRate: first.codec.clockRate,
        ptimeMs: this.#remotePtime ?? first.framing ?? first.codec.defaultMs,
        ...(this.telephoneEvent === undefined ? {} : { telephoneEventPt: this.telephoneEvent.payloadType }),
      });
    }
  }
}

function firstAudio(sdp: ParsedSdp): MediaLine | undefined {
  return sdp.media.find((line) => line.type === 'audio' && line.port > 0);
}

/** The session part of an SDP with its media replaced by chan_sip's T.38 stream (add_t38_sdp()). */
function withT38(sdp: string, port: number, attributes: readonly string[]): string {
  const session = sdp.slice(0, sdp.indexOf('m='));
  return `${session}${[`m=image ${port} udptl t38`, ...attributes.map((attribute) => `a=${attribute}`)].join('\r\n')}\r\n`;
}
