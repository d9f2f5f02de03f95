// Test helpers for packages that build on @tandem/sip.
export { FakeTransport, type SentMessage } from './fake-transport.js';
