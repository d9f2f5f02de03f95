import { canonicalHeaderKey } from './compact-header-names.js';
import type { SipMessage } from './sip-message.js';

/**
 * Writes a message to wire bytes: the start line, every header line with its name exactly as
 * stored, and Content-Length computed from the body (an existing Content-Length line keeps its
 * name and position; otherwise one is added last, where chan_sip writes it).
 */
export function serializeMessage(message: SipMessage): Buffer {
  const startLine =
    message.kind === 'request'
      ? `${message.method} ${message.uri} ${message.version}`
      : `${message.version} ${message.status} ${message.reason}`;
  const length = String(message.body.length);
  let head = `${startLine}\r\n`;
  let wroteLength = false;
  for (const { name, value } of message.headers) {
    if (canonicalHeaderKey(name) === 'content-length') {
      if (wroteLength) continue;
      head += `${name}: ${length}\r\n`;
      wroteLength = true;
    } else {
      head += `${name}: ${value}\r\n`;
    }
  }
  if (!wroteLength) head += `Content-Length: ${length}\r\n`;
  head += '\r\n';
  return message.body.length === 0 ? Buffer.from(head, 'utf8') : Buffer.concat([Buffer.from(head, 'utf8'), message.body]);
}
