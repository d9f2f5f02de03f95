/** The codec negotiated with one party (from SDP). */
export interface MediaCodec {
  /** RTP payload type used toward this party. */
  payloadType: number;
  /** Encoding name; PCMU and PCMA are understood (transcoded, played, recorded). */
  name: 'PCMU' | 'PCMA' | (string & {});
  /** RTP clock rate, 8000 for G.711. */
  clockRate: number;
  /** Packetisation time in milliseconds (20 by default in chan_sip). */
  ptimeMs: number;
  /** Payload type of RFC 4733 telephone-event, when negotiated. */
  telephoneEventPt?: number;
}

/** The SDP direction Tandem declared toward the party (Tandem's side of the media). */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** chan_sip `dtmfmode` values. */
export type DtmfMode = 'rfc2833' | 'inband' | 'info' | 'shortinfo' | 'auto';

/** Counters of one endpoint. */
export interface MediaStats {
  /** RTP packets accepted from the party. */
  rxPackets: number;
  rxBytes: number;
  /** RTP packets sent to the party (relayed or generated). */
  txPackets: number;
  txBytes: number;
  /** Packets lost from the party's stream (RFC 3550 A.3, cumulative over SSRCs). */
  lost: number;
  /** RFC 3550 interarrival jitter of the party's stream, in milliseconds. */
  jitterMs: number;
  /** Packets refused by the latch (foreign source while the latched one is active). */
  rejectedPackets: number;
  /** Datagrams that were not RTP/RTCP version 2. */
  malformedPackets: number;
  /** The latched source of the party's RTP. */
  remote?: { address: string; port: number };
  /** What the party's RTCP receiver reports say about the stream it receives from Tandem. */
  rtcp?: { fractionLost: number; rttMs?: number };
}

/** Options of `MediaEngine.open`. */
export interface MediaEngineOptions {
  /** rtp.conf `rtpstart`: first RTP port (rounded up to even). */
  portStart: number;
  /** rtp.conf `rtpend`: last RTP port. */
  portEnd: number;
  /** I/O threads; defaults to the number of CPU cores. */
  threads?: number;
  /**
   * Endpoints an I/O thread takes before the next thread is used (default 2048, about 1000
   * calls): a light load stays on few threads, whose wake-ups each serve many sockets. Once
   * every thread has that many, the least loaded takes the next. 1 spreads from the start.
   */
  endpointsPerThread?: number;
  /** Directory that relative sound names resolve against; defaults to the bundled prompts. */
  soundsDir?: string;
  /**
   * While packets are dense, wake-ups are spaced this many microseconds apart so each one
   * serves many sockets (default 200; 0 wakes per packet). Bounds the added latency.
   */
  pollTickUs?: number;
  /** Silence of the latched source after which another source may take over (default 2000). */
  relatchSilenceMs?: number;
}

/** How a `play()` ended (Playback's PLAYBACKSTATUS, plus interruption by a digit). */
export interface PlayResult {
  status: 'done' | 'interrupted' | 'failed' | 'stopped';
  /** The digit that interrupted playback. */
  digit?: string;
}

/** Options of `record()` (app_record's arguments, in milliseconds). */
export interface RecordOptions {
  /** Stop after this much continuous silence (0 = never). */
  silenceMs: number;
  /** Stop after this long (0 = no limit). */
  maxDurationMs: number;
  /** DTMF digits that end the recording (app_record's default is '#'). */
  terminators: string;
  /** Add to an existing recording instead of replacing it. */
  append: boolean;
}

/** How a `record()` ended (RECORD_STATUS) and how much audio the file holds. */
export interface RecordResult {
  status: 'dtmf' | 'silence' | 'timeout' | 'stopped' | 'error';
  durationMs: number;
}
