/**
 * @tandem/dialplan: Asterisk's extensions.conf language, independent of SIP.
 */
export type {
  CallerId,
  CallerPresentation,
  ChannelMedia,
  ChannelState,
  ChannelVariables,
  DialplanChannel,
  Indication,
  MediaStatus,
  OutgoingCallListener,
  OutgoingChannel,
  PlayResult,
  RecordOptions,
  RecordResult,
  TransferResult,
} from './channel.js';
export type {
  BridgeEnd,
  BridgeOptions,
  ChannelRequest,
  DeviceState,
  DialplanLogLevel,
  EnumRecord,
  KeyValueStore,
  PbxHost,
} from './host.js';
export { DialplanError } from './dialplan-error.js';
export type { DialplanErrorCode } from './dialplan-error.js';

// Compiling and looking up
export { compileDialplan, shrinkPhoneNumber } from './compile/compile-dialplan.js';
export type { CompileDialplanOptions, CompiledDialplan } from './compile/compile-dialplan.js';
export { Dialplan } from './compile/dialplan.js';
export type { FindOptions, FoundExtension, PriorityTarget } from './compile/dialplan.js';
export { HINT_PRIORITY } from './compile/dialplan-types.js';
export type { DialplanContext, DialplanExtension, DialplanInclude, DialplanPriority, DialplanSwitch } from './compile/dialplan-types.js';
export { compareExtensions, matchCallerId, matchExtension } from './compile/extension-pattern.js';
export type { MatchMode, MatchResult } from './compile/extension-pattern.js';
export { parseTimeSpec } from './compile/time-spec.js';
export type { TimeSpec, TimeSpecProblem } from './compile/time-spec.js';

// Running
export { PbxEngine } from './engine/pbx-engine.js';
export type { PbxEngineOptions, PbxRunOptions, PbxRunResult, StepOutcome } from './engine/pbx-engine.js';
export { DialplanSession } from './engine/dialplan-session.js';
export type { DialplanLocation, StackFrame, WaitOutcome } from './engine/dialplan-session.js';
export { ApplicationRegistry } from './engine/application-registry.js';
export type { ApplicationDocumentation, ApplicationResult, DialplanApplication } from './engine/application-registry.js';
export { FunctionRegistry, parseFunctionCall } from './engine/function-registry.js';
export type { DialplanFunction } from './engine/function-registry.js';
export { builtinApplications, createApplicationRegistry } from './applications/builtin-applications.js';
export { builtinFunctions, createFunctionRegistry } from './functions/builtin-functions.js';
export { sipAddHeaderSlots } from './applications/sip-header-applications.js';
export { channelMusicClass, channelStateName, mergeCallerId, parseCallerId } from './functions/channel-functions.js';
export { aggregateDeviceStates } from './functions/dialplan-functions.js';
export { connectedLineOf, redirectingOf } from './functions/party-functions.js';
export type { PartyId, RedirectingInfo } from './functions/party-functions.js';

// Variables and expressions
export { bareVariableName, inheritVariables, MapVariables, readVariable, writeVariable } from './variables/channel-variables.js';
export type { VariableStore } from './variables/channel-variables.js';
export { splitArgs } from './internal/split-args.js';
export type { SplitOptions } from './internal/split-args.js';

// Causes
export { Cause, causeDescription, causeFromName, causeName, parseCause } from './hangup-causes.js';

// CLI text
export { dialplanShow, type CliText } from './cli/dialplan-show.js';
export { coreShowApplication, coreShowApplications, coreShowFunction, coreShowFunctions } from './cli/core-show.js';
export type { ShowApplicationsFilter } from './cli/core-show.js';
