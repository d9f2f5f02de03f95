/**
 * Small builders shared by the chan_sip unit tests: parsed requests, sip.conf models, peers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSipConf, loadConfigDir, parseConf, type SipConf, type TandemConfig } from '@tandem/config';
import { Peer, type Logger } from '@tandem/registrar';
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

/** A config directory written to a temporary place, loaded as the PBX loads it. */
export function configDir(files: Record<string, string>): { dir: string; config: TandemConfig; [Symbol.dispose](): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-pbx-test-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const { config, diagnostics } = loadConfigDir(dir);
  const errors = diagnostics.filter((item) => item.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((item) => item.message).join('\n'));
  return { dir, config, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One logged line: the level, the message and the `asteriskLevel` it reproduces. */
export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly asteriskLevel?: string;
}

/** A logger that keeps every line (and satisfies the registrar's structural `Logger`). */
export class CapturingLogger implements Logger {
  readonly lines: LoggedLine[] = [];
  debug(objOrMessage: object | string, message?: string): void {
    this.#add('debug', objOrMessage, message);
  }
  info(objOrMessage: object | string, message?: string): void {
    this.#add('info', objOrMessage, message);
  }
  warn(objOrMessage: object | string, message?: string): void {
    this.#add('warn', objOrMessage, message);
  }
  error(objOrMessage: object | string, message?: string): void {
    this.#add('error', objOrMessage, message);
  }
  /** Messages logged with `asteriskLevel`, as Asterisk would print them. */
  asterisk(level: string): string[] {
    return this.lines.filter((line) => line.asteriskLevel === level).map((line) => line.message);
  }
  #add(level: LoggedLine['level'], objOrMessage: object | string, message?: string): void {
    if (typeof objOrMessage === 'string') {
      this.lines.push({ level, message: objOrMessage });
      return;
    }
    const asteriskLevel = (objOrMessage as { asteriskLevel?: unknown }).asteriskLevel;
    this.lines.push({ level, message: message ?? '', ...(typeof asteriskLevel === 'string' ? { asteriskLevel } : {}) });
  }
}
