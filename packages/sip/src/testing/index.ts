// Test helpers for packages that build on @tandem/sip.
export { FakeTransport, type SentMessage } from './fake-transport.js';
export { DnsTestServer, type DnsTestRecords, type DnsTestQuery } from './dns-test-server.js';
