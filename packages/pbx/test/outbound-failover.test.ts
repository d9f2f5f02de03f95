import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { buildSipConf, parseConf } from '@tandem/config';
import type { OutgoingCallListener } from '@tandem/dialplan';
import { silentLogger } from '@tandem/registrar';
import { buildRequest, createResponse, type Destination, type SipRequest, type SipResponse } from '@tandem/sip';
import type { ChanSipServices } from '../src/chan-sip/chan-sip-services.js';
import { MediaSession } from '../src/chan-sip/media-session.js';
import { SipChannel, type OutboundPlan } from '../src/chan-sip/sip-channel.js';

const general = buildSipConf(parseConf('[general]\n', { file: 'sip.conf' })).config.general;

/** A client transaction the test drives by hand. */
class ScriptedTransaction extends EventEmitter {
  constructor(
    readonly request: SipRequest,
    readonly destination: Destination,
  ) {
    super();
  }
}

function planFor(addresses: readonly string[], index = 0): OutboundPlan {
  const destination: Destination = { transport: 'udp', address: addresses[index] ?? '', port: 5060 };
  const next = index + 1 < addresses.length ? { failover: async () => planFor(addresses, index + 1) } : {};
  return {
    destination,
    requestUri: 'sip:1234@trunk.example',
    to: '<sip:1234@trunk.example>',
    authUser: '',
    secret: '',
    md5secret: '',
    rport: false,
    callId: 'failover-call@192.0.2.1',
    local: { transport: 'udp', address: '192.0.2.1', port: 5060 },
    ...next,
  };
}

function outboundChannel(plan: OutboundPlan) {
  const sent: ScriptedTransaction[] = [];
  const acks: Destination[] = [];
  const endpoint = {
    sendRequest(request: SipRequest, destination: Destination) {
      const transaction = new ScriptedTransaction(request, destination);
      sent.push(transaction);
      return transaction;
    },
    async sendStateless(_ack: SipRequest, destination: Destination) {
      acks.push(destination);
    },
  };
  const services = {
    endpoint,
    general,
    logger: silentLogger,
    addDialog: () => undefined,
    channelEnded: () => undefined,
    toneList: (_zone: string, tones: string) => tones,
    contactFor: () => '<sip:tandem@192.0.2.1>',
    planOutbound: async () => plan,
    buildInvite: async (_channel: SipChannel, current: OutboundPlan, fromTag: string, cseq: number) =>
      buildRequest({ method: 'INVITE', uri: current.requestUri, from: `<sip:tandem@192.0.2.1>;tag=${fromTag}`, to: current.to, callId: current.callId, cseq }),
  } as unknown as ChanSipServices;
  const mediaEndpoint = { setDtmfMode: () => undefined, onDtmf: () => () => undefined, release: () => undefined };
  const session = new MediaSession(mediaEndpoint as never, general.deviceDefaults, '192.0.2.1', { owner: 'root', sessionName: 'Tandem' }, false);
  const channel = new SipChannel('SIP/trunk.example-00000001', services, general.deviceDefaults, undefined, session, 'outbound');
  channel.prepareOutbound({ dial: { peerOrHost: 'trunk.example', exten: '1234' }, peer: undefined });
  const events: string[] = [];
  const listener: OutgoingCallListener = {
    onRinging: () => events.push('ringing'),
    onProgress: () => events.push('progress'),
    onAnswer: () => events.push('answer'),
    onBusy: () => events.push('busy'),
    onCongestion: () => events.push('congestion'),
    onHangup: (cause) => events.push(`hangup ${cause}`),
  };
  return { channel, sent, acks, events, listener };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));

function answer(transaction: ScriptedTransaction, status: number): SipResponse {
  const response = createResponse(transaction.request, status, undefined, { toTag: `far${status}` });
  if (status === 200) response.headers.add('Contact', `<sip:1234@${transaction.destination.address}>`);
  return response;
}

describe('RFC 3263 fail-over of an outbound INVITE (Tandem beyond chan_sip)', () => {
  it('moves on after a timeout and after a 503, same Call-ID and CSeq, and takes the call at the next target', async () => {
    const { channel, sent, acks, events, listener } = outboundChannel(planFor(['198.51.100.1', '198.51.100.2', '198.51.100.3']));
    channel.call(listener);
    await settle();
    sent[0]?.emit('failure', { reason: 'timeout' });
    await settle();
    const second = sent[1];
    if (second === undefined) throw new Error('no second attempt');
    second.emit('response', answer(second, 503));
    await settle();
    const third = sent[2];
    if (third === undefined) throw new Error('no third attempt');
    third.emit('response', answer(third, 200));
    await settle();
    expect(sent.map((transaction) => transaction.destination.address)).toEqual(['198.51.100.1', '198.51.100.2', '198.51.100.3']);
    expect(new Set(sent.map((transaction) => transaction.request.callId)).size).toBe(1);
    expect(sent.map((transaction) => transaction.request.cseq.seq)).toEqual([102, 102, 102]);
    expect(events).toEqual(['answer']);
    expect(acks.map((destination) => destination.address)).toEqual(['198.51.100.3']);
    channel.hangup(16);
  });

  it('fails the call with the last answer when no target is left, and never fails over after other answers', async () => {
    const last = outboundChannel(planFor(['198.51.100.1']));
    last.channel.call(last.listener);
    await settle();
    const only = last.sent[0];
    if (only === undefined) throw new Error('no attempt');
    only.emit('response', answer(only, 503));
    await settle();
    expect(last.sent).toHaveLength(1);
    expect(last.events).toEqual(['congestion', 'hangup 34']);

    const busy = outboundChannel(planFor(['198.51.100.1', '198.51.100.2']));
    busy.channel.call(busy.listener);
    await settle();
    const first = busy.sent[0];
    if (first === undefined) throw new Error('no attempt');
    first.emit('response', answer(first, 486));
    await settle();
    expect(busy.sent).toHaveLength(1);
    expect(busy.events).toEqual(['busy', 'hangup 17']);
  });
});
