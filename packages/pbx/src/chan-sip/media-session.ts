import type { SipPeerSettings } from '@tandem/config';
import type { MediaEndpoint } from '@tandem/media';
import {
  buildSdp,
  negotiateCodecs,
  offerCodecs,
  TELEPHONE_EVENT,
  type MediaDirection,
  type MediaLine,
  type ParsedSdp,
  type SdpCodec,
} from '@tandem/sip';

/** How the session describes itself in SDP (sip.conf sdpowner/sdpsession). */
export interface SdpIdentity {
  readonly owner: string;
  readonly sessionName: string;
}

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
  remote: { address: string; port: number } | undefined;
  readonly #sessionId = String(Math.floor(Math.random() * 2 ** 31));
  #version = Math.floor(Math.random() * 2 ** 31);
  #lastSdp: string | undefined;
  /** The party's a=ptime, if it gave one. */
  #remotePtime: number | undefined;

  constructor(
    readonly endpoint: MediaEndpoint,
    private readonly settings: SipPeerSettings,
    /** The address written in o= and c= (our address toward the party). */
    public address: string,
    private readonly identity: SdpIdentity,
    /** nat=comedia (or auto_comedia with NAT detected): latch onto the RTP source. */
    private readonly symmetric: boolean,
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
    const audio = firstAudio(sdp);
    if (audio === undefined) return 'no-audio';
    const negotiation = negotiateCodecs(audio, this.allow, { preferred, telephoneEvent: this.#wantsTelephoneEvent });
    if (negotiation.codecs.length === 0) return 'no-common-codec';
    this.codecs = negotiation.codecs;
    this.telephoneEvent = negotiation.telephoneEvent;
    this.#applyRemote(audio);
    return undefined;
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
    return undefined;
  }

  /**
   * Our offer (outbound INVITE): the device's codecs with `preferred` first, then `narrow`ed
   * (SIP_CODEC_OUTBOUND).
   */
  offer(preferred: readonly string[] = [], narrow: (codecs: SdpCodec[]) => SdpCodec[] = (codecs) => codecs): string {
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

  #sdp(direction: MediaDirection): string {
    const body = (version: number) =>
      buildSdp({
        owner: this.identity.owner,
        sessionId: this.#sessionId,
        sessionVersion: version,
        sessionName: this.identity.sessionName,
        originAddress: this.address,
        media: [
          {
            type: 'audio',
            port: this.endpoint.rtpPort,
            codecs: this.codecs,
            ...(this.telephoneEvent === undefined ? {} : { telephoneEvent: this.telephoneEvent }),
            direction,
          },
        ],
      });
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
