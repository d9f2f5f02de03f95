export { Pbx, type PbxStartOptions } from './pbx.js';
export { PbxError, type PbxErrorCode } from './pbx-error.js';
export { type CliResult, tokenizeCommandLine } from './cli/cli-registry.js';
export { checkConfigDir, type CheckedConfig } from './reload/config-check.js';
export type { ReloadScope } from './reload/reload-scope.js';
export type { ReloadResult } from './reload/reload-result.js';
