/**
 * Small builders shared by the chan_sip unit tests: parsed requests, sip.conf models, peers.
 */
import { buildSipConf, parseConf, type SipConf } from '@tandem/config';
import { Peer } from '@tandem/registrar';
import { parseMessage, SipRequest } from '@tandem/sip';

/** Parses a request written with `\n` line ends; headers only unless a body follows a blank line. */
export function request(text: string, source?: { address: string; port: number }): SipRequest {
  const normalized = text.replace(/^\s+/, '').replace(/\n/g, '\r\n');
  const outcome = parseMessage(normalized.includes('\r\n\r\n') ? normalized : `${normalized}\r\n`);
  if (outcome.kind !== 'message' || !(outcome.message instanceof SipRequest)) throw new Error(`not a request: ${outcome.kind}`);
  if (source !== undefined) {
    outcome.message.source = { transport: 'udp', remoteAddress: source.address, remotePort: source.port, localAddress: '127.0.0.1', localPort: 5060 };
  }
  return outcome.message;
}

/** A sip.conf model from its text (throws on error diagnostics). */
export function sipConf(text: string): SipConf {
  const { config, diagnostics } = buildSipConf(parseConf(text, { file: 'sip.conf' }));
  const errors = diagnostics.filter((item) => item.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((item) => item.message).join('\n'));
  return config;
}

/** The peer `name` of a sip.conf text. */
export function peerOf(conf: SipConf, name: string): Peer {
  const device = conf.devices.find((candidate) => candidate.name === name);
  if (device === undefined) throw new Error(`no device ${name}`);
  return new Peer(device, 'config');
}
