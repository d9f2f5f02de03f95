import { describe, expect, it } from 'vitest';
import type { Peer } from '@tandem/registrar';
import { PeerCallCounter } from '../src/chan-sip/peer-call-counter.js';
import { peerOf, sipConf } from './support/sip-fixtures.js';

const conf = sipConf(`
[general]
context=default

[phone]
type=friend
host=192.0.2.20
call-limit=2
busylevel=2

[trunk]
type=peer
host=192.0.2.30
`);

function counting(name: string): { peer: Peer; changes: string[]; leg: () => PeerCallCounter } {
  const peer = peerOf(conf, name);
  // host= is resolved at load time; an address makes the peer available.
  peer.staticAddress = { address: '192.0.2.20', port: 5060 };
  const changes: string[] = [];
  return { peer, changes, leg: () => new PeerCallCounter(peer, (changed) => changes.push(changed.deviceState)) };
}

describe('peer call counters (chan_sip update_call_counter())', () => {
  it('counts an outbound call as ringing until it is answered, then in use until it ends', () => {
    const { peer, changes, leg } = counting('phone');
    const call = leg();
    // INC_CALL_LIMIT then INC_CALL_RINGING on one leg: its flags stop a double count.
    expect(call.start(false)).toBe(true);
    expect(call.start(true)).toBe(true);
    expect([peer.inUse, peer.ringing]).toEqual([1, 1]);
    expect(peer.deviceState).toBe('RINGING');
    call.answered();
    expect([peer.inUse, peer.ringing]).toEqual([1, 0]);
    expect(peer.deviceState).toBe('INUSE');
    call.release();
    call.release();
    expect([peer.inUse, peer.ringing, peer.onHold]).toEqual([0, 0, 0]);
    expect(peer.deviceState).toBe('NOT_INUSE');
    expect(changes).toEqual(['INUSE', 'RINGING', 'INUSE', 'NOT_INUSE']);
  });

  it('shows RINGINUSE while a second call rings, and refuses calls over the call-limit', () => {
    const { peer, leg } = counting('phone');
    const first = leg();
    first.start(false);
    const second = leg();
    expect(second.start(true)).toBe(true);
    expect(peer.deviceState).toBe('RINGINUSE');
    second.answered();
    // call-limit reached: sip_devicestate() says BUSY and the next call is refused.
    expect(peer.deviceState).toBe('BUSY');
    const third = leg();
    expect(third.start(true)).toBe(false);
    expect([peer.inUse, peer.ringing]).toEqual([2, 0]);
    // A leg that never counted gives nothing back.
    third.release();
    expect(peer.inUse).toBe(2);
  });

  it('a ringing call that ends unanswered gives back both counts', () => {
    const { peer, leg } = counting('phone');
    const call = leg();
    call.start(true);
    call.release();
    expect([peer.inUse, peer.ringing]).toEqual([0, 0]);
  });

  it('follows hold only with notifyhold, and without a call-limit too (sip_peer_hold())', () => {
    const { peer, changes, leg } = counting('trunk');
    const call = leg();
    // No call-limit: chan_sip's SIP_CALL_LIMIT flag is off, nothing is counted.
    expect(call.start(true)).toBe(true);
    expect([peer.inUse, peer.ringing]).toEqual([0, 0]);
    call.hold(true, false);
    expect(peer.onHold).toBe(0);
    call.hold(true, true);
    call.hold(true, true);
    expect(peer.onHold).toBe(1);
    expect(peer.deviceState).toBe('ONHOLD');
    call.hold(false, true);
    expect(peer.onHold).toBe(0);
    call.hold(true, true);
    call.release();
    expect(peer.onHold).toBe(0);
    expect(changes).toEqual(['ONHOLD', 'NOT_INUSE', 'ONHOLD', 'NOT_INUSE']);
  });

  it('guests have no counters', () => {
    const call = new PeerCallCounter(undefined, () => {
      throw new Error('no peer to change');
    });
    expect(call.start(true)).toBe(true);
    call.hold(true, true);
    call.release();
    expect(call.countsInUse).toBe(false);
  });
});
