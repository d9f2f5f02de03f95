export { repoRoot, serverMain } from './paths.js';
export { useConfDir, type ConfDir } from './conf-dir.js';
export { sipOptionsPing, waitForSip } from './sip-probe.js';
export { startTandem, type StartTandemOptions, type TandemProcess, type RxResult } from './tandem-process.js';
export { runSipp, scenarioWith, startSipp, type SippOptions, type SippResult, type SippRun } from './sipp.js';
export { RtpPeer } from './rtp-peer.js';
export { TcpRelay, type TcpRelayTarget } from './tcp-relay.js';
export { sippeersDdl } from './sippeers-schema.js';
export { locateBaresip, startBaresip, type BaresipCodec, type BaresipInstallation, type BaresipOptions, type BaresipPhone } from './baresip-phone.js';
export { BaresipControl, type BaresipEvent, type BaresipResponse } from './baresip-control.js';
export { readWav, writeWav, type PcmAudio } from './wav-file.js';
export { detectTones, synthesizeTones, type DetectedTone, type ToneDetectionOptions, type ToneStep } from './tones.js';
export {
  openRealtimeDatabase,
  type DatabaseOutage,
  type RealtimeBackendName,
  type RealtimeDatabase,
  type RealtimeDatabaseOpening,
  type RealtimeDatabaseOptions,
  type SippeersRow,
} from './realtime-databases.js';
