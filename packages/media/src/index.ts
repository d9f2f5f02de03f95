export { MediaEngine } from './media-engine.js';
export { MediaEndpoint } from './media-endpoint.js';
export { MediaError } from './media-error.js';
export type { MediaErrorCode } from './media-error.js';
export type {
  DtmfMode,
  MediaCodec,
  MediaDirection,
  MediaEngineOptions,
  MediaStats,
  PlayResult,
  RecordOptions,
  RecordResult,
} from './media-types.js';
export { bundledMusicDir, bundledSoundsDir } from './sounds-dir.js';
export { bundledPrompts, writeBundledPrompts } from './prompts/bundled-prompts.js';
