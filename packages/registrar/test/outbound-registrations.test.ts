import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createResponse, parseAuthHeader, TransactionLayer, type SipRequest } from '@tandem/sip';
import { FakeTransport } from '@tandem/sip/testing';
import type { Logger } from '../src/logger.js';
import { OutboundRegistrations } from '../src/outbound/outbound-registrations.js';
import { sipConfFrom } from './support/sip-conf.js';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (objOrMessage: object | string, message?: string): void => {
    lines.push(typeof objOrMessage === 'string' ? objOrMessage : (message ?? ''));
  };
  return { lines, debug: record, info: record, warn: record, error: record };
}

let transport: FakeTransport;
let layer: TransactionLayer;
let registrations: OutboundRegistrations;
let logger: Logger & { lines: string[] };

function build(general: string, lines = 'register => 4015552299:provpass@127.0.3.60/7000'): OutboundRegistrations {
  transport = new FakeTransport({ address: '127.0.3.1', port: 5060 });
  layer = new TransactionLayer(transport);
  logger = recordingLogger();
  registrations = new OutboundRegistrations({ sipConf: sipConfFrom(`[general]\nuseragent=Tandem PBX\n${general}\n${lines}\n`).conf, sender: layer, logger });
  return registrations;
}

/** Distinct REGISTERs sent so far (UDP retransmissions counted once). */
function registers(): SipRequest[] {
  const byBranch = new Map<string, SipRequest>();
  for (const entry of transport.requests('REGISTER')) {
    const request = entry.message as SipRequest;
    const branch = request.topVia.params.find((param) => param.name === 'branch')?.value ?? '';
    if (!byBranch.has(branch)) byBranch.set(branch, request);
  }
  return [...byBranch.values()];
}

function last(): SipRequest {
  const all = registers();
  const request = all.at(-1);
  if (request === undefined) throw new Error('no REGISTER sent');
  return request;
}

function reply(request: SipRequest, status: number, headers: [string, string][] = []): void {
  const response = createResponse(request, status);
  for (const [name, value] of headers) response.headers.add(name, value);
  layer.receiveResponse(response);
}

const challenge: [string, string] = ['WWW-Authenticate', 'Digest algorithm=MD5, realm="provider", nonce="abcdef01"'];

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') });
});

afterEach(() => {
  registrations.stop();
  layer.close();
  vi.useRealTimers();
});

describe('OutboundRegistrations', () => {
  it('builds the REGISTER exactly as chan_sip and answers the challenge', async () => {
    build('').start();
    expect(registrations.rows()[0]?.state).toBe('Unregistered');
    await vi.advanceTimersByTimeAsync(200);
    const first = last();
    expect(first.uri).toBe('sip:127.0.3.60');
    expect(first.headers.get('From')).toMatch(/^<sip:4015552299@127\.0\.3\.60>;tag=as[0-9a-f]{8}$/);
    expect(first.headers.get('To')).toBe('<sip:4015552299@127.0.3.60>');
    expect(first.headers.get('Call-ID')).toMatch(/^[0-9a-f]{32}@127\.0\.3\.1$/);
    expect(first.headers.get('CSeq')).toBe('102 REGISTER');
    expect(first.headers.get('Contact')).toBe('<sip:7000@127.0.3.1:5060>');
    expect(first.headers.get('Expires')).toBe('120');
    expect([...first.headers].map((field) => field.name)).toEqual([
      'Via',
      'Max-Forwards',
      'From',
      'To',
      'Call-ID',
      'CSeq',
      'Supported',
      'User-Agent',
      'Expires',
      'Contact',
      'Content-Length',
    ]);
    expect(registrations.rows()[0]?.state).toBe('Request Sent');
    reply(first, 401, [challenge]);
    await vi.advanceTimersByTimeAsync(0);
    const second = last();
    expect(registrations.rows()[0]?.state).toBe('Auth. Sent');
    expect(second.headers.get('CSeq')).toBe('103 REGISTER');
    expect(second.headers.get('Call-ID')).toBe(first.headers.get('Call-ID'));
    expect(second.headers.get('From')).toBe(first.headers.get('From'));
    const auth = parseAuthHeader(second.headers.get('Authorization') ?? '');
    expect(auth.params).toMatchObject({ username: '4015552299', realm: 'provider', nonce: 'abcdef01', uri: 'sip:127.0.3.60', algorithm: 'MD5' });
    reply(second, 200, [['Contact', '<sip:7000@127.0.3.1:5060>;expires=60']]);
    await vi.advanceTimersByTimeAsync(0);
    const row = registrations.rows()[0];
    expect(row).toMatchObject({ host: '127.0.3.60:5060', username: '4015552299', refresh: 45, state: 'Registered', dnsmgr: 'N' });
    expect(row?.regTime).toBeInstanceOf(Date);
  });

  it('offers path in Supported when supportpath=yes, and uses externaddr outside localnet', async () => {
    build('supportpath=yes\nlocalnet=127.0.3.0/255.255.255.0\nexternaddr=203.0.113.7:5070', 'register => 4015552299:provpass@127.0.4.60/7000').start();
    await vi.advanceTimersByTimeAsync(200);
    expect(last().headers.get('Supported')).toBe('replaces, timer, path');
    expect(last().headers.get('Contact')).toBe('<sip:7000@203.0.113.7:5070>');
    expect(last().headers.get('Call-ID')).toMatch(/@203\.0\.113\.7$/);
  });

  it('refreshes 15 s before expiry with the same Call-ID and tag, reusing the nonce', async () => {
    build('').start();
    await vi.advanceTimersByTimeAsync(200);
    reply(last(), 401, [challenge]);
    await vi.advanceTimersByTimeAsync(0);
    reply(last(), 200, [['Expires', '60']]);
    await vi.advanceTimersByTimeAsync(44_000);
    expect(registers()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_100);
    const refresh = last();
    expect(registers()).toHaveLength(3);
    expect(refresh.headers.get('CSeq')).toBe('104 REGISTER');
    expect(refresh.headers.get('Call-ID')).toBe(registers()[0]?.headers.get('Call-ID'));
    expect(refresh.headers.get('From')).toBe(registers()[0]?.headers.get('From'));
    expect(parseAuthHeader(refresh.headers.get('Authorization') ?? '').params['nonce']).toBe('abcdef01');
    // transmit_register() sets REG_STATE_REGSENT for a renewal too (REG_STATE_TIMEOUT, shown
    // as Registered, only lasts until the REGISTER is sent).
    expect(registrations.rows()[0]?.state).toBe('Request Sent');
    reply(refresh, 200, [['Expires', '60']]);
    await vi.advanceTimersByTimeAsync(0);
    expect(registrations.rows()[0]?.state).toBe('Registered');
  });

  it('uses 20 % (at least 0.5 s) as the guard for short expiries', async () => {
    build('').start();
    await vi.advanceTimersByTimeAsync(200);
    reply(last(), 200, [['Expires', '20']]);
    await vi.advanceTimersByTimeAsync(0);
    expect(registrations.rows()[0]?.refresh).toBe(16);
  });

  it('stops with No Authentication on 403 and Rejected on 404', async () => {
    build('', 'register => a:x@127.0.3.60\nregister => b:y@127.0.3.61').start();
    await vi.advanceTimersByTimeAsync(400);
    const [toA, toB] = registers();
    reply(toA as SipRequest, 403);
    reply(toB as SipRequest, 404);
    await vi.advanceTimersByTimeAsync(0);
    expect(registrations.rows().map((row) => row.state)).toEqual(['No Authentication', 'Rejected']);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(registers()).toHaveLength(2);
    expect(logger.lines).toContain("Forbidden - wrong password on authentication for REGISTER for 'a' to '127.0.3.60'");
    expect(logger.lines).toContain('Got 404 Not found on SIP register to service b@127.0.3.61, giving up');
  });

  it('keeps trying after 403 with register_retry_403', async () => {
    build('register_retry_403=yes').start();
    await vi.advanceTimersByTimeAsync(200);
    reply(last(), 403);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(registers()).toHaveLength(2);
  });

  it('retries every registertimeout and fails after registerattempts', async () => {
    build('registertimeout=5\nregisterattempts=3').start();
    await vi.advanceTimersByTimeAsync(200);
    expect(registers()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(registers()).toHaveLength(2);
    expect(logger.lines).toContain("   -- Registration for '4015552299@127.0.3.60' timed out, trying again (Attempt #2)");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(registers()).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(registrations.rows()[0]?.state).toBe('Failed');
    expect(logger.lines).toContain("   -- Last Registration Attempt #3 failed, Giving up forever trying to register '4015552299@127.0.3.60'");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(registers()).toHaveLength(3);
  });

  it('answers 423 with Min-Expires at once, or gives up above maxexpiry', async () => {
    build('').start();
    await vi.advanceTimersByTimeAsync(200);
    reply(last(), 423, [['Min-Expires', '300']]);
    await vi.advanceTimersByTimeAsync(0);
    expect(last().headers.get('Expires')).toBe('300');
    reply(last(), 423, [['Min-Expires', '7200']]);
    await vi.advanceTimersByTimeAsync(0);
    expect(registrations.rows()[0]?.state).toBe('Rejected');
  });

  it('gives up answering challenges after three tries', async () => {
    build('').start();
    await vi.advanceTimersByTimeAsync(200);
    for (let i = 0; i < 4; i++) {
      reply(last(), 401, [challenge]);
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(registers()).toHaveLength(4);
    expect(logger.lines).toContain("Failed to authenticate on REGISTER to '4015552299@127.0.3.60' (Tries 3)");
  });

  it('writes user@domain:port in the Username column and the domain in From/To and the R-URI', async () => {
    build('', 'register => 3456@dom.example:5082::@127.0.3.62:5090/9000~600').start();
    await vi.advanceTimersByTimeAsync(200);
    const request = last();
    expect(request.uri).toBe('sip:dom.example:5082');
    expect(request.headers.get('To')).toBe('<sip:3456@dom.example>');
    expect(request.headers.get('Expires')).toBe('600');
    expect(transport.requests('REGISTER')[0]?.destination).toMatchObject({ address: '127.0.3.62', port: 5090 });
    expect(registrations.rows()[0]).toMatchObject({ host: '127.0.3.62:5090', username: '3456@dom.example:5082' });
  });

  it('keeps the Call-ID and tag of unchanged lines across a reload', async () => {
    build('').start();
    await vi.advanceTimersByTimeAsync(200);
    reply(last(), 200, [['Expires', '3600']]);
    await vi.advanceTimersByTimeAsync(0);
    const before = last();
    registrations.reload(sipConfFrom('[general]\nregister => 4015552299:provpass@127.0.3.60/7000\nregister => other:pw@127.0.3.63\n').conf);
    await vi.advanceTimersByTimeAsync(400);
    const to60 = registers().filter((request) => request.uri === 'sip:127.0.3.60');
    expect(to60).toHaveLength(2);
    expect(to60[1]?.headers.get('Call-ID')).toBe(before.headers.get('Call-ID'));
    expect(to60[1]?.headers.get('From')).toBe(before.headers.get('From'));
    expect(registrations.rows()).toHaveLength(2);
  });

  it('recognises an INVITE sent to a registered Contact', async () => {
    build('').start();
    await vi.advanceTimersByTimeAsync(200);
    const invite = last();
    invite.uri = 'sip:7000@127.0.3.1:5060';
    const source = transport.sourceFrom({ address: '127.0.3.60', port: 5060 });
    expect(registrations.matchIncoming(invite, source)?.extension).toBe('7000');
    invite.uri = 'sip:7001@127.0.3.1:5060';
    expect(registrations.matchIncoming(invite, source)).toBeUndefined();
  });
});

describe('OutboundRegistrations: DNS failure', () => {
  it('warns, waits registertimeout and tries again when the registrar host does not resolve', async () => {
    transport = new FakeTransport({ address: '127.0.3.1', port: 5060 });
    layer = new TransactionLayer(transport);
    logger = recordingLogger();
    let resolvable = false;
    registrations = new OutboundRegistrations({
      sipConf: sipConfFrom('[general]\nregistertimeout=5\nregister => user:pw@provider.invalid\n').conf,
      sender: layer,
      logger,
      resolveHost: async () => (resolvable ? '127.0.3.64' : undefined),
    });
    registrations.start();
    await vi.advanceTimersByTimeAsync(200);
    expect(registers()).toHaveLength(0);
    expect(logger.lines).toContain('Probably a DNS error for registration to user@provider.invalid, trying REGISTER again (after 5 seconds)');
    resolvable = true;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(registers()).toHaveLength(1);
    expect(transport.requests('REGISTER')[0]?.destination).toMatchObject({ address: '127.0.3.64', port: 5060 });
    expect(registers()[0]?.uri).toBe('sip:provider.invalid');
  });
});

describe('OutboundRegistrations: SRV', () => {
  it('asks for SRV when the line has no port (srvlookup=yes) and uses the SRV port', async () => {
    transport = new FakeTransport({ address: '127.0.3.1', port: 5060 });
    layer = new TransactionLayer(transport);
    const asked: unknown[] = [];
    registrations = new OutboundRegistrations({
      sipConf: sipConfFrom('[general]\nregister => user:pw@provider.example\nregister => other:pw@provider.example:5090\n').conf,
      sender: layer,
      resolver: {
        resolveChanSip: async (target, options) => {
          asked.push({ ...target, ...options });
          return { transport: 'udp', address: '127.0.3.65', port: target.port ?? 5080, host: 'sip1.provider.example' };
        },
      },
    });
    registrations.start();
    await vi.advanceTimersByTimeAsync(400);
    expect(asked).toEqual([
      { host: 'provider.example', transport: 'udp', srvLookup: true },
      { host: 'provider.example', port: 5090, transport: 'udp', srvLookup: true },
    ]);
    const uris = registers().map((request) => request.uri).sort();
    expect(uris).toEqual(['sip:provider.example:5080', 'sip:provider.example:5090']);
  });
});
