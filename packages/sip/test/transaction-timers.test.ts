import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  InviteClientTransaction} from '../src/index.js';
import {
  buildRequest,
  createResponse,
  parseMessage,
  serializeMessage,
  SipError,
  timersFromT1,
  TransactionLayer,
  type ClientTransaction,
  type Destination,
  type InviteServerTransaction,
  type SipRequest,
  type SipResponse,
  type ServerTransaction,
} from '../src/index.js';
import { FakeTransport } from '../src/testing/index.js';

const udp: Destination = { transport: 'udp', address: '127.0.0.2', port: 5062 };
const tcp: Destination = { transport: 'tcp', address: '127.0.0.2', port: 5062 };

function request(method: string, callId = 'call-1'): SipRequest {
  return buildRequest({ method, uri: 'sip:bob@127.0.0.2:5062', from: '<sip:alice@127.0.0.1>;tag=a1', to: '<sip:bob@127.0.0.2>', callId, cseq: 102, contact: '<sip:alice@127.0.0.1:5070>' });
}

function responseTo(sent: SipRequest, status: number, toTag = 'b1'): SipResponse {
  return createResponse(sent, status, undefined, { toTag });
}

/** Parses bytes as a peer would receive them, with a source. */
function incoming(text: string | Buffer, fake: FakeTransport, transport: 'udp' | 'tcp' = 'udp'): SipRequest {
  const outcome = parseMessage(text, { source: fake.sourceFrom({ transport, address: '127.0.0.2', port: 5062 }) });
  if (outcome.kind !== 'message' || outcome.message.kind !== 'request') throw new Error('not a request');
  return outcome.message;
}

function sendTimes(fake: FakeTransport, method: string): number[] {
  const start = fake.sent[0]?.at ?? 0;
  return fake.requests(method).map((entry) => entry.at - start);
}

let fake: FakeTransport;
let layer: TransactionLayer;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  fake = new FakeTransport();
  layer = new TransactionLayer(fake);
});
afterEach(() => {
  layer.close();
  vi.useRealTimers();
});

async function started(transaction: ClientTransaction): Promise<ClientTransaction> {
  await vi.advanceTimersByTimeAsync(0);
  return transaction;
}

describe('timersFromT1', () => {
  it('derives every timer from T1, with chan_sip timerb overriding B only', () => {
    expect(timersFromT1()).toMatchObject({ t1: 500, t2: 4000, t4: 5000, timerB: 32000, timerD: 32000, timerF: 32000, timerH: 32000, timerI: 5000, timerJ: 32000, timerK: 5000, timerL: 32000, timerM: 32000 });
    expect(timersFromT1(1000)).toMatchObject({ timerB: 64000, timerD: 64000, timerF: 64000 });
    expect(timersFromT1(500, 6000).timerB).toBe(6000);
    expect(() => timersFromT1(0)).toThrow(SipError);
  });
});

describe('INVITE client transaction (RFC 3261 §17.1.1)', () => {
  it('inserts a top Via with a crypto-random z9hG4bK branch and rport when asked', async () => {
    const tx = await started(layer.sendRequest(request('INVITE'), udp, { rport: true }));
    const via = fake.sent[0]?.message?.headers.get('Via');
    expect(via).toMatch(/^SIP\/2\.0\/UDP 127\.0\.0\.1:5070;branch=z9hG4bK[0-9a-f]{16};rport$/);
    expect(tx.branch).toMatch(/^z9hG4bK[0-9a-f]{16}$/);
    const other = await started(layer.sendRequest(request('OPTIONS', 'c2'), udp));
    expect(other.branch).not.toBe(tx.branch);
  });

  it('writes the sent-by the TU maps the local endpoint to (externaddr), in requests and stateless ACKs', async () => {
    const mapped = new TransactionLayer(fake, { viaAddress: (_destination, local) => ({ ...local, address: '203.0.113.5', port: 5080 }) });
    await started(mapped.sendRequest(request('INVITE'), udp));
    expect(fake.sent[0]?.message?.headers.get('Via')).toMatch(/^SIP\/2\.0\/UDP 203\.0\.113\.5:5080;branch=z9hG4bK[0-9a-f]{16}$/);
    await mapped.sendStateless(request('ACK', 'c3'), udp);
    expect(fake.sent.at(-1)?.message?.headers.get('Via')).toMatch(/^SIP\/2\.0\/UDP 203\.0\.113\.5:5080;/);
    mapped.close();
  });

  it('retransmits on Timer A (doubling, no T2 cap) and times out on Timer B with a 408', async () => {
    const tx = await started(layer.sendRequest(request('INVITE'), udp));
    const failures: string[] = [];
    tx.on('failure', (failure) => failures.push(`${failure.reason}:${failure.timer}:${failure.response.status}`));
    await vi.advanceTimersByTimeAsync(32_000);
    expect(sendTimes(fake, 'INVITE')).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(failures).toEqual(['timeout:B:408']);
    expect((await tx.final).status).toBe(408);
    expect(tx.state).toBe('terminated');
    expect(layer.clientTransactionCount).toBe(0);
  });

  it("uses the transaction's own T1 and Timer B (chan_sip timert1/timerb per peer)", async () => {
    const tx = await started(layer.sendRequest(request('INVITE'), udp, { timers: timersFromT1(100, 1000) }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(sendTimes(fake, 'INVITE')).toEqual([0, 100, 300, 700]);
    expect(tx.failure?.timer).toBe('B');
  });

  it('does not retransmit over TCP but still times out', async () => {
    const tx = await started(layer.sendRequest(request('INVITE'), tcp));
    await vi.advanceTimersByTimeAsync(32_000);
    expect(sendTimes(fake, 'INVITE')).toEqual([0]);
    expect(tx.failure?.timer).toBe('B');
  });

  it('stops retransmitting on a provisional and waits for the final without Timer B', async () => {
    const tx = await started(layer.sendRequest(request('INVITE'), udp));
    const sent = fake.sent[0]?.message as SipRequest;
    await vi.advanceTimersByTimeAsync(600);
    layer.receiveResponse(responseTo(sent, 180));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tx.state).toBe('proceeding');
    expect(sendTimes(fake, 'INVITE')).toEqual([0, 500]);
  });

  it('ACKs a non-2xx itself, again on each retransmitted final, and ends after Timer D', async () => {
    const tx = await started(layer.sendRequest(request('INVITE'), udp));
    const sent = fake.sent[0]?.message as SipRequest;
    const busy = responseTo(sent, 486);
    const responses: number[] = [];
    tx.on('response', (response) => responses.push(response.status));
    layer.receiveResponse(busy);
    layer.receiveResponse(busy);
    const acks = fake.requests('ACK');
    expect(acks).toHaveLength(2);
    const ack = acks[0]?.message as SipRequest;
    expect(ack.uri).toBe(sent.uri);
    expect(ack.headers.get('Via')).toBe(sent.headers.get('Via'));
    expect(ack.headers.get('To')).toBe(busy.headers.get('To'));
    expect(ack.cseq).toEqual({ seq: 102, method: 'ACK' });
    expect(responses).toEqual([486]);
    expect(tx.state).toBe('completed');
    await vi.advanceTimersByTimeAsync(32_000);
    expect(tx.state).toBe('terminated');
  });

  it('passes every 2xx to the TU while Accepted (RFC 6026) and ends after Timer M', async () => {
    const tx = await started(layer.sendRequest(request('INVITE'), udp));
    const sent = fake.sent[0]?.message as SipRequest;
    const statuses: string[] = [];
    tx.on('response', (response) => statuses.push(`${response.status}/${response.to.params[0]?.value}`));
    layer.receiveResponse(responseTo(sent, 200, 'b1'));
    layer.receiveResponse(responseTo(sent, 200, 'b1'));
    layer.receiveResponse(responseTo(sent, 200, 'fork2'));
    expect(statuses).toEqual(['200/b1', '200/b1', '200/fork2']);
    expect(fake.requests('ACK')).toHaveLength(0);
    expect(tx.state).toBe('accepted');
    await vi.advanceTimersByTimeAsync(32_000);
    expect(tx.state).toBe('terminated');
    expect(layer.receiveResponse(responseTo(sent, 200, 'b1'))).toBe(false);
  });

  it('holds a CANCEL until the first provisional, then sends it with the INVITE branch', async () => {
    const tx = await started(layer.sendRequest(request('INVITE'), udp));
    const sent = fake.sent[0]?.message as SipRequest;
    layer.cancel(tx as InviteClientTransaction, [['Reason', 'Q.850;cause=16']]);
    expect(fake.requests('CANCEL')).toHaveLength(0);
    layer.receiveResponse(responseTo(sent, 180));
    const cancel = fake.requests('CANCEL')[0]?.message as SipRequest;
    expect(cancel.uri).toBe(sent.uri);
    expect(cancel.headers.getAll('Via')).toEqual([sent.headers.get('Via')]);
    expect(cancel.cseq).toEqual({ seq: 102, method: 'CANCEL' });
    expect(cancel.headers.get('To')).toBe(sent.headers.get('To'));
    expect(cancel.headers.get('Reason')).toBe('Q.850;cause=16');
    const cancelOk = createResponse(cancel, 200);
    expect(layer.receiveResponse(cancelOk)).toBe(true);
    layer.receiveResponse(responseTo(sent, 487));
    expect((await tx.final).status).toBe(487);
    expect(fake.requests('ACK')).toHaveLength(1);
  });

  it('reports a transport error as a 503 failure', async () => {
    fake.failSends = new SipError('transport-error', 'network down');
    const tx = await started(layer.sendRequest(request('INVITE'), udp));
    expect(tx.failure).toMatchObject({ reason: 'transport-error', response: { status: 503 } });
    expect((await tx.final).status).toBe(503);
  });
});

describe('non-INVITE client transaction (RFC 3261 §17.1.2)', () => {
  it('retransmits on Timer E capped at T2 and times out on Timer F even after a provisional', async () => {
    const tx = await started(layer.sendRequest(request('OPTIONS'), udp));
    await vi.advanceTimersByTimeAsync(32_000);
    expect(sendTimes(fake, 'OPTIONS')).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(tx.failure).toMatchObject({ reason: 'timeout', timer: 'F', response: { status: 408 } });

    const second = await started(layer.sendRequest(request('REGISTER', 'c3'), udp));
    const sent = fake.requests('REGISTER')[0]?.message as SipRequest;
    const base = fake.requests('REGISTER')[0]?.at ?? 0;
    await vi.advanceTimersByTimeAsync(100);
    layer.receiveResponse(responseTo(sent, 100));
    await vi.advanceTimersByTimeAsync(32_000);
    expect(fake.requests('REGISTER').map((entry) => entry.at - base)).toEqual([0, 500, 4500, 8500, 12500, 16500, 20500, 24500, 28500]);
    expect(second.failure?.timer).toBe('F');
  });

  it('absorbs retransmitted finals in Completed and ends after Timer K (0 on TCP)', async () => {
    const tx = await started(layer.sendRequest(request('OPTIONS'), udp));
    const sent = fake.sent[0]?.message as SipRequest;
    const responses: number[] = [];
    tx.on('response', (response) => responses.push(response.status));
    layer.receiveResponse(responseTo(sent, 200));
    layer.receiveResponse(responseTo(sent, 200));
    expect(responses).toEqual([200]);
    await vi.advanceTimersByTimeAsync(4999);
    expect(tx.state).toBe('completed');
    await vi.advanceTimersByTimeAsync(1);
    expect(tx.state).toBe('terminated');

    const overTcp = await started(layer.sendRequest(request('OPTIONS', 'c4'), tcp));
    layer.receiveResponse(responseTo(fake.sent.at(-1)?.message as SipRequest, 200));
    await vi.advanceTimersByTimeAsync(0);
    expect(overTcp.state).toBe('terminated');
  });
});

describe('server transactions (RFC 3261 §17.2, RFC 6026)', () => {
  const inviteText = [
    'INVITE sip:100@127.0.0.1:5070 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.2:5062;branch=z9hG4bKserver1;rport',
    'From: <sip:alice@127.0.0.2>;tag=a1',
    'To: <sip:100@127.0.0.1>',
    'Call-ID: srv-1',
    'CSeq: 5 INVITE',
    'Contact: <sip:alice@127.0.0.2:5062>',
    '',
    '',
  ].join('\r\n');

  /** The server transaction a new request creates. */
  function receiveNew(text: string): ServerTransaction {
    let created: ServerTransaction | undefined;
    layer.onRequest((_request, transaction) => {
      created = transaction;
    });
    layer.receiveRequest(incoming(text, fake));
    if (created === undefined) throw new Error('no transaction');
    return created;
  }

  function receiveInvite(): InviteServerTransaction {
    return receiveNew(inviteText) as InviteServerTransaction;
  }

  it('answers a retransmitted INVITE with the last provisional, without telling the TU twice', () => {
    let calls = 0;
    layer.onRequest((_request, transaction) => {
      calls++;
      transaction.reply(100, 'Trying');
    });
    layer.receiveRequest(incoming(inviteText, fake));
    layer.receiveRequest(incoming(inviteText, fake));
    expect(calls).toBe(1);
    expect(fake.responses(100)).toHaveLength(2);
    expect(fake.responses(100)[0]?.destination).toMatchObject({ address: '127.0.0.2', port: 5062 });
  });

  it('retransmits a non-2xx on Timer G until the ACK, then Confirmed and Timer I', async () => {
    const tx = receiveInvite();
    tx.reply(486, 'Busy Here', { toTag: 'as1' });
    await vi.advanceTimersByTimeAsync(8000);
    const base = fake.responses(486)[0]?.at ?? 0;
    expect(fake.responses(486).map((entry) => entry.at - base)).toEqual([0, 500, 1500, 3500, 7500]);
    const acks: string[] = [];
    tx.on('ack', (ack) => acks.push(ack.method));
    layer.receiveRequest(incoming(inviteText.replace(/^INVITE/, 'ACK').replace('CSeq: 5 INVITE', 'CSeq: 5 ACK').replace('To: <sip:100@127.0.0.1>', 'To: <sip:100@127.0.0.1>;tag=as1'), fake));
    expect(acks).toEqual(['ACK']);
    expect(tx.state).toBe('confirmed');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.responses(486)).toHaveLength(5);
    expect(tx.state).toBe('terminated');
  });

  it('reports ackTimeout on Timer H when no ACK comes for a non-2xx', async () => {
    const tx = receiveInvite();
    let timedOut = false;
    tx.on('ackTimeout', () => {
      timedOut = true;
    });
    tx.reply(603, 'Declined', { toTag: 'as1' });
    await vi.advanceTimersByTimeAsync(32_000);
    expect(timedOut).toBe(true);
    expect(tx.state).toBe('terminated');
  });

  it('retransmits a 2xx until its ACK (new branch) arrives, and delivers the ACK to the TU', async () => {
    const tx = receiveInvite();
    const delivered: (InviteServerTransaction | undefined)[] = [];
    layer.onAck((_ack, invite) => delivered.push(invite));
    tx.reply(200, 'OK', { toTag: 'as9' });
    await vi.advanceTimersByTimeAsync(1600);
    expect(fake.responses(200)).toHaveLength(3);
    const ack = inviteText
      .replace(/^INVITE/, 'ACK')
      .replace('branch=z9hG4bKserver1', 'branch=z9hG4bKnewack')
      .replace('CSeq: 5 INVITE', 'CSeq: 5 ACK')
      .replace('To: <sip:100@127.0.0.1>', 'To: <sip:100@127.0.0.1>;tag=as9');
    const events: string[] = [];
    tx.on('ack', () => events.push('ack'));
    tx.on('ackTimeout', () => events.push('timeout'));
    layer.receiveRequest(incoming(ack, fake));
    await vi.advanceTimersByTimeAsync(40_000);
    expect(fake.responses(200)).toHaveLength(3);
    expect(events).toEqual(['ack']);
    expect(delivered).toEqual([tx]);
    expect(tx.state).toBe('terminated');
  });

  it('gives up 2xx retransmission after Timer L and tells the TU', async () => {
    const tx = receiveInvite();
    let timedOut = false;
    tx.on('ackTimeout', () => {
      timedOut = true;
    });
    tx.reply(200, 'OK', { toTag: 'as9' });
    await vi.advanceTimersByTimeAsync(32_000);
    const base = fake.responses(200)[0]?.at ?? 0;
    expect(fake.responses(200).map((entry) => entry.at - base)).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(timedOut).toBe(true);
  });

  it('answers a matching CANCEL 200 and tells the INVITE transaction; 481 otherwise (chan_sip matches by Call-ID too)', () => {
    const tx = receiveInvite();
    const cancels: string[] = [];
    tx.on('cancel', (cancel) => cancels.push(cancel.method));
    const cancel = inviteText.replace(/^INVITE/, 'CANCEL').replace('CSeq: 5 INVITE', 'CSeq: 5 CANCEL');
    layer.receiveRequest(incoming(cancel, fake));
    expect(cancels).toEqual(['CANCEL']);
    expect(fake.responses(200)[0]?.message?.cseq.method).toBe('CANCEL');
    tx.reply(487, 'Request Terminated', { toTag: 'as1' });
    expect(fake.responses(487)).toHaveLength(1);
    // Another branch but the same Call-ID, CSeq and From tag still finds the INVITE.
    layer.receiveRequest(incoming(cancel.replace('z9hG4bKserver1', 'z9hG4bKother'), fake));
    expect(fake.responses(200).filter((response) => response.message?.cseq.method === 'CANCEL')).toHaveLength(2);
    expect(fake.responses(481)).toHaveLength(0);
    const otherCall = cancel.replace('z9hG4bKserver1', 'z9hG4bKthird').replace(/^(Call-ID|i):.*$/im, 'Call-ID: unrelated@127.0.0.1');
    layer.receiveRequest(incoming(otherCall, fake));
    expect(fake.responses(481)).toHaveLength(1);
  });

  it('absorbs a non-INVITE retransmission while Trying and repeats the final once Completed', async () => {
    let held: ServerTransaction | undefined;
    layer.onRequest((_request, transaction) => {
      held = transaction;
    });
    const options = inviteText.replace(/INVITE/g, 'OPTIONS');
    layer.receiveRequest(incoming(options, fake));
    layer.receiveRequest(incoming(options, fake));
    expect(fake.sent).toHaveLength(0);
    held?.reply(200);
    layer.receiveRequest(incoming(options, fake));
    expect(fake.responses(200)).toHaveLength(2);
    expect(() => held?.reply(200)).toThrow(SipError);
    await vi.advanceTimersByTimeAsync(32_000);
    expect(held?.state).toBe('terminated');
    expect(() => held?.reply(200)).toThrow(expect.objectContaining({ code: 'transaction-terminated' }));
  });

  it('keeps only the bytes of its final response: the request is let go, retransmissions repeat them exactly', async () => {
    const bye = inviteText.replace(/INVITE/g, 'BYE');
    const held = receiveNew(bye);
    expect(held.request.method).toBe('BYE');
    held.reply(200);
    expect(() => held.request).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(held.method).toBe('BYE');
    layer.receiveRequest(incoming(bye, fake));
    const [first, again] = fake.sent.map((entry) => entry.bytes.toString());
    expect(again).toBe(first);
    // The INVITE's CANCEL and ACK matching does not need the request either.
    const invite = receiveInvite();
    invite.reply(486);
    layer.receiveRequest(incoming(inviteText.replace('INVITE sip', 'ACK sip').replace('5 INVITE', '5 ACK'), fake));
    expect(invite.state).toBe('confirmed');
    await vi.advanceTimersByTimeAsync(32_000);
    expect(invite.state).toBe('terminated');
    expect(layer.serverTransactionCount).toBe(0);
  });

  it('matches RFC 2543 requests without a magic cookie', () => {
    let calls = 0;
    layer.onRequest((_request, transaction) => {
      calls++;
      transaction.reply(200);
    });
    const old = inviteText.replace(/INVITE/g, 'OPTIONS').replace(';branch=z9hG4bKserver1', '');
    layer.receiveRequest(incoming(old, fake));
    layer.receiveRequest(incoming(old, fake));
    expect(calls).toBe(1);
    expect(fake.responses(200)).toHaveLength(2);
  });

  it('answers the source port when NAT is detected (auto_force_rport), the Via port with nat=no', () => {
    layer.onRequest((_request, transaction) => transaction.reply(200));
    const natted = inviteText.replace(/INVITE/g, 'OPTIONS').replace('127.0.0.2:5062;branch=z9hG4bKserver1;rport', '10.1.1.1:7000;branch=z9hG4bKn1');
    layer.receiveRequest(incoming(natted, fake));
    expect(fake.responses(200)[0]?.destination).toMatchObject({ address: '127.0.0.2', port: 5062 });
    const strict = new TransactionLayer(fake, { nat: 'no' });
    strict.onRequest((_request, transaction) => transaction.reply(200));
    strict.receiveRequest(incoming(natted.replace('z9hG4bKn1', 'z9hG4bKn2'), fake));
    expect(fake.responses(200)[1]?.destination).toMatchObject({ address: '127.0.0.2', port: 7000 });
    strict.close();
  });

  it('sends responses to the Via port without rport, the source port with it', () => {
    layer.onRequest((_request, transaction) => transaction.reply(200));
    const noRport = inviteText.replace(/INVITE/g, 'OPTIONS').replace('127.0.0.2:5062;branch=z9hG4bKserver1;rport', '127.0.0.2:7000;branch=z9hG4bKx1');
    layer.receiveRequest(incoming(noRport, fake));
    expect(fake.responses(200)[0]?.destination).toMatchObject({ address: '127.0.0.2', port: 7000 });
    const withRport = noRport.replace('branch=z9hG4bKx1', 'branch=z9hG4bKx2;rport');
    layer.receiveRequest(incoming(withRport, fake));
    expect(fake.responses(200)[1]?.destination).toMatchObject({ address: '127.0.0.2', port: 5062 });
    expect(serializeMessage(fake.responses(200)[1]?.message as SipResponse).toString()).toContain(';received=127.0.0.2;rport=5062');
  });
});
