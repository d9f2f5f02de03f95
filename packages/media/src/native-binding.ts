// The one place where the untyped addon meets TypeScript: everything the addon exports is
// described here, and nothing else in the package touches `binding` directly.
import { binding } from '@tandem/rtp-relay';

import type { MediaStats } from './media-types.js';

/** What every native call returns on failure instead of throwing. */
export interface NativeError {
  error: string;
  message: string;
}

/** One event from the I/O threads (kinds in media-event.h). */
export interface NativeEvent {
  id: number;
  kind: number;
  operation: number;
  status: number;
  value: number;
  digit: string;
}

/** The native counters: the public ones plus raw RTCP figures and the latched address. */
export interface NativeStats extends Omit<MediaStats, 'remote' | 'rtcp'> {
  sendErrors: number;
  rtcpRxPackets: number;
  rtcpTxPackets: number;
  rtcpFractionLost256: number;
  rtcpRttMicros: number;
  remoteAddress?: string;
  remotePort?: number;
}

/** A freshly bound RTP/RTCP pair. */
export interface NativeAllocation {
  id: number;
  rtpPort: number;
  rtcpPort: number;
}

/** Options of the native open(). */
export interface NativeOpenOptions {
  portStart: number;
  portEnd: number;
  threads: number;
  pollTickUs: number;
  relatchSilenceMs: number;
  endpointsPerThread: number;
  soundsDir: string;
}

/** Methods return `undefined` (or a value) on success and a `NativeError` on failure. */
export interface NativeEngine {
  allocate(localAddress: string, nearId: number): NativeAllocation | NativeError;
  release(id: number): NativeError | undefined;
  setRemote(id: number, host: string, rtpPort: number, rtcpPort: number, symmetric: boolean): NativeError | undefined;
  setCodec(id: number, payloadType: number, name: string, clockRate: number, ptimeMs: number, telephoneEventPt: number): NativeError | undefined;
  connect(id: number, other: number): NativeError | undefined;
  disconnect(id: number): NativeError | undefined;
  setDirection(id: number, direction: number): NativeError | undefined;
  setDtmfMode(id: number, mode: number): NativeError | undefined;
  setTimeouts(id: number, rtpTimeoutMs: number, holdTimeoutMs: number, keepaliveMs: number): NativeError | undefined;
  stats(id: number): NativeStats | NativeError;
  play(id: number, operation: number, files: string[], interruptDigits: string, loop: boolean): NativeError | undefined;
  playTones(id: number, tones: string): NativeError | undefined;
  stopTones(id: number): NativeError | undefined;
  echo(id: number, on: boolean): NativeError | undefined;
  record(id: number, operation: number, path: string, silenceMs: number, maxDurationMs: number, terminators: string, append: boolean): NativeError | undefined;
  stopMedia(id: number): NativeError | undefined;
  sendDtmf(id: number, operation: number, digits: string, durationMs: number): NativeError | undefined;
  injectDtmf(id: number, digit: string, durationMs: number): NativeError | undefined;
  portsInUse(): number;
  info(): { droppedEvents: number; threads: number; portCapacity: number; endpoints: number };
  ref(): void;
  unref(): void;
  close(): void;
}

interface NativeModule {
  open(options: NativeOpenOptions, onEvents: (events: NativeEvent[]) => void): NativeEngine | NativeError;
}

/** The loaded addon, typed. */
export const nativeModule = binding as NativeModule;

/** Narrows a native return value to its error case. */
export function isNativeError(value: unknown): value is NativeError {
  return typeof value === 'object' && value !== null && 'error' in value && 'message' in value;
}
