import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createResponse, TransactionLayer, type SipRequest } from '@tandem/sip';
import { FakeTransport } from '@tandem/sip/testing';
import type { Logger } from '../src/logger.js';
import { PeerDirectory } from '../src/peers/peer-directory.js';
import { Qualifier, type QualifyStatusEvent } from '../src/qualify/qualifier.js';
import { sipConfFrom } from './support/sip-conf.js';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (objOrMessage: object | string, message?: string): void => {
    lines.push(typeof objOrMessage === 'string' ? objOrMessage : (message ?? ''));
  };
  return { lines, debug: record, info: record, warn: record, error: record };
}

const conf = (general = '') => `
[general]
qualifyfreq=60
${general}

[phone]
type=friend
host=127.0.3.40
port=5070
qualify=yes

[slow]
type=friend
host=127.0.3.41
qualify=300

[quiet]
type=friend
host=127.0.3.42
`;

let transport: FakeTransport;
let layer: TransactionLayer;
let qualifier: Qualifier | undefined;
let directory: PeerDirectory;
let logger: Logger & { lines: string[] };
let events: QualifyStatusEvent[];

function build(general = ''): Qualifier {
  directory = new PeerDirectory({ sipConf: sipConfFrom(conf(general)).conf });
  transport = new FakeTransport({ address: '127.0.3.1', port: 5060 });
  layer = new TransactionLayer(transport);
  logger = recordingLogger();
  events = [];
  qualifier = new Qualifier({ directory, sender: layer, logger });
  qualifier.on('status', (event) => events.push(event));
  return qualifier;
}

/** Distinct OPTIONS sent to `address` (UDP retransmissions of one are counted once). */
function optionsTo(address: string): SipRequest[] {
  const byCallId = new Map<string, SipRequest>();
  for (const entry of transport.requests('OPTIONS')) {
    if (entry.destination.address !== address) continue;
    const request = entry.message as SipRequest;
    if (!byCallId.has(request.callId)) byCallId.set(request.callId, request);
  }
  return [...byCallId.values()];
}

function answer(request: SipRequest, status = 200): void {
  layer.receiveResponse(createResponse(request, status));
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') });
});

afterEach(() => {
  qualifier?.stop();
  layer.close();
  directory.close();
  vi.useRealTimers();
});

describe('Qualifier', () => {
  it('sends an OPTIONS the way chan_sip builds it', async () => {
    build().start();
    await vi.advanceTimersByTimeAsync(1);
    const [options] = optionsTo('127.0.3.40');
    expect(options).toBeDefined();
    expect(options?.uri).toBe('sip:127.0.3.40:5070');
    expect(options?.headers.get('From')).toMatch(/^"asterisk" <sip:asterisk@127\.0\.3\.1>;tag=as[0-9a-f]{8}$/);
    expect(options?.headers.get('To')).toBe('<sip:127.0.3.40:5070>');
    expect(options?.headers.get('Contact')).toBe('<sip:asterisk@127.0.3.1:5060>');
    expect(options?.headers.get('CSeq')).toBe('102 OPTIONS');
    expect(options?.headers.get('Call-ID')).toMatch(/^[0-9a-f]{32}@127\.0\.3\.1$/);
    expect([...(options?.headers ?? [])].map((field) => field.name)).toEqual([
      'Via',
      'Max-Forwards',
      'From',
      'To',
      'Contact',
      'Call-ID',
      'CSeq',
      'User-Agent',
      'Date',
      'Allow',
      'Supported',
      'Content-Length',
    ]);
    // qualify off: no OPTIONS.
    expect(optionsTo('127.0.3.42')).toEqual([]);
    expect(directory.get('quiet')?.status).toBe('Unmonitored');
  });

  it('marks a peer OK with its round trip, feeds T1 and polls again after qualifyfreq', async () => {
    build().start();
    await vi.advanceTimersByTimeAsync(1);
    const phone = directory.get('phone');
    expect(phone?.status).toBe('UNKNOWN');
    await vi.advanceTimersByTimeAsync(12);
    answer(optionsTo('127.0.3.40')[0] as SipRequest);
    await vi.advanceTimersByTimeAsync(0);
    expect(phone?.status).toMatch(/^OK \(1[23] ms\)$/);
    expect(phone?.t1Ms).toBe(100);
    expect(logger.lines.some((line) => /^Peer 'phone' is now Reachable\. \(1[23]ms \/ 2000ms\)$/.test(line))).toBe(true);
    expect(events.map((event) => event.status)).toEqual([phone?.status]);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(optionsTo('127.0.3.40')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(optionsTo('127.0.3.40')).toHaveLength(2);
  });

  it('declares a silent peer UNREACHABLE after 2 x maxms and retries every 10 s', async () => {
    build().start();
    await vi.advanceTimersByTimeAsync(3_999);
    const phone = directory.get('phone');
    expect(phone?.status).toBe('UNKNOWN');
    await vi.advanceTimersByTimeAsync(2);
    expect(phone?.status).toBe('UNREACHABLE');
    expect(phone?.deviceState).toBe('UNAVAILABLE');
    expect(phone?.unreachable).toBe(true);
    expect(logger.lines).toContain("Peer 'phone' is now UNREACHABLE!  Last qualify: 0");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(optionsTo('127.0.3.40')).toHaveLength(2);
    // It comes back.
    answer(optionsTo('127.0.3.40')[1] as SipRequest);
    await vi.advanceTimersByTimeAsync(0);
    expect(phone?.status).toMatch(/^OK \(\d+ ms\)$/);
    expect(phone?.deviceState).toBe('NOT_INUSE');
  });

  it('marks an answer slower than maxms LAGGED', async () => {
    build().start();
    // 'slow' is in the second qualify group, 100 ms (qualifygap) after the first.
    await vi.advanceTimersByTimeAsync(101);
    await vi.advanceTimersByTimeAsync(450);
    answer(optionsTo('127.0.3.41')[0] as SipRequest);
    await vi.advanceTimersByTimeAsync(0);
    const slow = directory.get('slow');
    expect(slow?.status).toMatch(/^LAGGED \(45\d ms\)$/);
    expect(slow?.deviceState).toBe('UNAVAILABLE');
    expect(logger.lines.some((line) => line.startsWith("Peer 'slow' is now Lagged."))).toBe(true);
  });

  it('spreads the first pokes qualifypeers at a time, qualifygap apart', async () => {
    const many = Array.from({ length: 6 }, (_, index) => `[p${index}]\ntype=peer\nhost=127.0.3.${50 + index}\nqualify=yes\n`).join('\n');
    directory = new PeerDirectory({ sipConf: sipConfFrom(`[general]\nqualifygap=100\nqualifypeers=1\n${many}`).conf });
    transport = new FakeTransport({ address: '127.0.3.1', port: 5060 });
    layer = new TransactionLayer(transport);
    qualifier = new Qualifier({ directory, sender: layer });
    qualifier.start();
    const sentAt = async (ms: number) => {
      await vi.advanceTimersByTimeAsync(ms);
      return new Set(transport.requests('OPTIONS').map((entry) => entry.destination.address)).size;
    };
    // chan_sip sip_poke_all_peers(): one peer at once, then qualifypeers + 1 every qualifygap.
    expect(await sentAt(1)).toBe(1);
    expect(await sentAt(100)).toBe(3);
    expect(await sentAt(100)).toBe(5);
    expect(await sentAt(100)).toBe(6);
  });

  it('qualifies on demand (sip qualify peer), even when qualify is off', async () => {
    build();
    const quiet = directory.get('quiet');
    if (quiet === undefined) throw new Error('no peer');
    const done = qualifier?.qualifyNow(quiet);
    await vi.advanceTimersByTimeAsync(1);
    expect(optionsTo('127.0.3.42')).toHaveLength(1);
    answer(optionsTo('127.0.3.42')[0] as SipRequest);
    await vi.advanceTimersByTimeAsync(0);
    expect(await done).toBe(0);
    expect(quiet.status).toBe('Unmonitored');
  });

  it('treats a transport error as unreachable at once', async () => {
    build();
    const { SipError } = await import('@tandem/sip');
    transport.failSends = new SipError('transport-error', 'network down');
    qualifier?.start();
    await vi.advanceTimersByTimeAsync(1);
    expect(directory.get('phone')?.status).toBe('UNREACHABLE');
  });
});
