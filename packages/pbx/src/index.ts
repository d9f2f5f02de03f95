export { Pbx, type PbxStartOptions, type ReloadScope } from './pbx.js';
export { PbxError, type PbxErrorCode } from './pbx-error.js';
export { type CliResult, tokenizeCommandLine } from './cli/cli-registry.js';
