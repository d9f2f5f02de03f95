/**
 * Shared pieces of the dialplan end-to-end tests: callers and callees played by sipp, and
 * readers for what sipp saw on the wire (its -trace_msg log).
 */
import { runSipp, scenarioWith, startSipp, type SippOptions, type SippResult, type SippRun, type TandemProcess } from '@tandem/test-support';
import { scenario, sipGeneral, sippAt, type ServerAddress } from './test-server.js';

/** Where a test file's server and phones live (its own 127.0.36.x addresses). */
export interface DialplanNet extends ServerAddress {
  /** The caller's address (sipp UAC and its RTP socket). */
  readonly caller: string;
  /** The callee's address (sipp UAS). */
  readonly callee: string;
  /** The SIP port the phones bind. */
  readonly phonePort: number;
}

/**
 * A sip.conf for a test file: [general] binding the file's server address (no guests), then
 * `devices` (the device sections, as text).
 */
export function sipConf(net: DialplanNet, devices: string): string {
  return `${sipGeneral(net)}\nallowguest=no\n\n${devices}`;
}

/** A device section for a phone at a fixed address (`host=`, `port=`), context `office`, plus `extra` lines. */
export function staticPhone(name: string, address: string, port: number, extra = ''): string {
  return `[${name}]\ntype=friend\nhost=${address}\nport=${port}\ncontext=office\n${extra}\n`;
}

/** How a caller places one call. */
export interface CallOptions {
  /** The Request-URI user: the extension called. */
  readonly exten: string;
  /** The From user: the sip.conf device that calls (no secret: no authentication). */
  readonly from: string;
  /** The To URI; default `sip:<exten>@<server>`. */
  readonly toUri?: string;
  /** The RTP port the caller offers. */
  readonly rtpPort?: number;
  /** The codec the caller offers (with telephone-event 101); default PCMU. */
  readonly codec?: 'PCMU' | 'PCMA';
  /** How long an answered call lasts before the caller's BYE (dialplan-caller-hangs-up). */
  readonly holdMs?: number;
}

/** sipp as the caller of `call`, running the scenario at `path`. */
function caller(path: string, net: DialplanNet, call: CallOptions): SippOptions {
  return sippAt(net, net.caller, net.phonePort, {
    scenario: path,
    args: [
      '-s', call.exten,
      '-set', 'caller', call.from,
      '-set', 'touri', call.toUri ?? `sip:${call.exten}@${net.server}`,
      '-set', 'rtpport', String(call.rtpPort ?? 7000),
      '-set', 'pt', call.codec === 'PCMA' ? '8' : '0',
      '-set', 'codec', call.codec ?? 'PCMU',
      '-mi', net.caller,
      ...(call.holdMs === undefined ? [] : ['-d', String(call.holdMs)]),
    ],
    timeoutMs: 40_000,
  });
}

/** Calls and expects the call to fail with `status` (dialplan-caller-fails.xml). */
export function callExpectingFailure(net: DialplanNet, call: CallOptions, status: number): Promise<SippResult> {
  return runSipp(caller(scenarioWith(scenario('dialplan-caller-fails.xml'), { EXPECTED_STATUS: String(status) }), net, call));
}

/**
 * Calls, expects an answer and keeps the call until Tandem sends BYE (dialplan-caller-answered.xml;
 * with `expectInfo`, one in-dialog INFO comes first: dialplan-caller-answered-info.xml).
 */
export function startAnsweredCall(net: DialplanNet, call: CallOptions, expectInfo = false): SippRun {
  return startSipp(caller(scenario(expectInfo ? 'dialplan-caller-answered-info.xml' : 'dialplan-caller-answered.xml'), net, call));
}

/** Calls, expects an answer, holds `holdMs` and hangs up (dialplan-caller-hangs-up.xml). */
export function startCallThatHangsUp(net: DialplanNet, call: CallOptions): SippRun {
  return startSipp(caller(scenario('dialplan-caller-hangs-up.xml'), net, call));
}

/**
 * Starts a callee: a sipp UAS running one of the shared uas-*.xml scenarios (or the early media
 * one), on the callee address (or `address`).
 */
export function startCallee(
  net: DialplanNet,
  name: 'uas-answer.xml' | 'uas-busy.xml' | 'uas-ring-cancel.xml' | 'dialplan-callee-early-busy.xml',
  rtpPort = 7002,
  address = net.callee,
  extraArgs: readonly string[] = [],
): SippRun {
  return startSipp(sippAt(net, address, net.phonePort, {
    scenario: scenario(name),
    args: ['-set', 'caller', 'tandem', '-set', 'rtpport', String(rtpPort), '-mi', address, ...extraArgs],
    timeoutMs: 40_000,
  }));
}

/** Gives a background sipp time to bind before the other side starts. */
export const settle = (ms = 300): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One SIP message from a sipp message trace. */
export interface TracedMessage {
  readonly direction: 'sent' | 'received';
  readonly text: string;
  /** `INVITE`, `BYE`, ... for requests; the status code for responses. */
  readonly first: string;
}

/** Splits a sipp -trace_msg log into its messages. */
export function tracedMessages(log: string): TracedMessage[] {
  const messages: TracedMessage[] = [];
  const blocks = log.split(/^-{20,}.*$/m);
  for (const block of blocks) {
    const header = /(UDP|TCP) message (sent|received)[^\n]*\n/.exec(block);
    if (!header) continue;
    const text = block.slice(header.index + header[0].length).replace(/^\s*\n/, '').trimEnd();
    const startLine = text.split(/\r?\n/)[0] ?? '';
    const response = /^SIP\/2\.0 (\d{3})/.exec(startLine);
    messages.push({ direction: header[2] === 'sent' ? 'sent' : 'received', text, first: response ? (response[1] ?? '') : (startLine.split(' ')[0] ?? '') });
  }
  return messages;
}

/** The first message received whose start (method or status) is `first`. */
export function received(log: string, first: string): TracedMessage | undefined {
  return tracedMessages(log).find((message) => message.direction === 'received' && message.first === first);
}

/** Every value of a header (case-insensitive name) in one message. */
export function headerValues(message: TracedMessage | undefined, name: string): string[] {
  if (message === undefined) return [];
  const head = message.text.split(/\r?\n\r?\n/)[0] ?? '';
  const wanted = name.toLowerCase();
  return head
    .split(/\r?\n/)
    .slice(1)
    .map((line) => /^([^:\s]+)\s*:\s*(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && (match[1] ?? '').toLowerCase() === wanted)
    .map((match) => match[2] ?? '');
}

/**
 * Reads an astdb value through `tandem -rx "database get family key"` (the dialplan tests
 * record what they saw with Set(DB(...)=...)); polls until it exists or `timeoutMs` passes.
 */
export async function databaseValue(tandem: TandemProcess, family: string, key: string, timeoutMs = 5000): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { output } = await tandem.rx(`database get ${family} ${key}`);
    const value = /^Value: (.*)$/m.exec(output)?.[1];
    if (value !== undefined || Date.now() >= deadline) return value;
    await settle(100);
  }
}

/** Deletes an astdb key (so a test sees only what its own call writes). */
export async function clearDatabaseValue(tandem: TandemProcess, family: string, key: string): Promise<void> {
  await tandem.rx(`database del ${family} ${key}`);
}
