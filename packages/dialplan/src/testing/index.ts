export { TestChannel } from './test-channel.js';
export type { OutgoingScript, TestChannelOptions } from './test-channel.js';
export { MemoryKeyValueStore, TestHost } from './test-host.js';
export type { DestinationScript, LoggedLine, RecordedBridge, TestHostOptions } from './test-host.js';
