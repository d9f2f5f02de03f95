import { describe, expect, it } from 'vitest';
import type { ListenerInfo, ListenOptions } from '@tandem/sip';
import { parseConf } from '@tandem/config';
import { ListenerBindError, SipListeners, type ListenerEndpoint } from '../src/reload/sip-listeners.js';

/** An endpoint whose binds fail like the kernel's: a port held on an overlapping address is in use. */
class FakeEndpoint implements ListenerEndpoint {
  readonly open = new Map<string, ListenOptions>();
  readonly log: string[] = [];
  #next = 1;
  /** Addresses the machine does not have. */
  readonly unavailable = new Set<string>();

  async listen(options: ListenOptions): Promise<ListenerInfo> {
    const label = `${options.transport} ${options.address}:${options.port}`;
    if (this.unavailable.has(options.address)) {
      this.log.push(`fail ${label}`);
      throw new Error(`bind EADDRNOTAVAIL ${options.address}:${options.port}`);
    }
    const wildcard = (address: string) => address === '0.0.0.0' || address === '::';
    for (const held of this.open.values()) {
      if (held.transport === options.transport && held.port === options.port && (held.address === options.address || wildcard(held.address) || wildcard(options.address))) {
        this.log.push(`fail ${label}`);
        throw new Error(`bind EADDRINUSE ${options.address}:${options.port}`);
      }
    }
    const id = `${options.transport}-listener-${this.#next++}`;
    this.open.set(id, options);
    this.log.push(`open ${label}`);
    return { id, transport: options.transport, address: options.address, port: options.port };
  }

  async closeListener(id: string): Promise<boolean> {
    const options = this.open.get(id);
    if (options === undefined) return false;
    this.open.delete(id);
    this.log.push(`close ${options.transport} ${options.address}:${options.port}`);
    return true;
  }

  addresses(): string[] {
    return [...this.open.values()].map((options) => `${options.transport} ${options.address}:${options.port}`).sort();
  }
}

const udp = (address: string, port = 5060): ListenOptions => ({ transport: 'udp', address, port });
const tcp = (address: string, port = 5060): ListenOptions => ({ transport: 'tcp', address, port });

describe('SIP listeners across a reload', () => {
  it('opens the new listeners before closing the old ones, and keeps unchanged ones', async () => {
    const endpoint = new FakeEndpoint();
    const listeners = new SipListeners(endpoint);
    await listeners.moveTo([udp('127.0.0.1'), tcp('127.0.0.1')]);
    endpoint.log.length = 0;
    const move = await listeners.moveTo([udp('127.0.0.2'), tcp('127.0.0.1')]);
    expect(move.opened).toEqual(['udp 127.0.0.2:5060']);
    expect(move.closing).toEqual(['udp 127.0.0.1:5060']);
    // Still listening on the old address until the caller has swapped the rest.
    expect(endpoint.addresses()).toEqual(['tcp 127.0.0.1:5060', 'udp 127.0.0.1:5060', 'udp 127.0.0.2:5060']);
    await move.finish();
    expect(endpoint.addresses()).toEqual(['tcp 127.0.0.1:5060', 'udp 127.0.0.2:5060']);
    expect(endpoint.log).toEqual(['open udp 127.0.0.2:5060', 'close udp 127.0.0.1:5060']);
  });

  it('closes a listener first when the new one needs its port (127.0.0.1 -> 0.0.0.0)', async () => {
    const endpoint = new FakeEndpoint();
    const listeners = new SipListeners(endpoint);
    await listeners.moveTo([udp('127.0.0.1')]);
    endpoint.log.length = 0;
    const move = await listeners.moveTo([udp('0.0.0.0')]);
    await move.finish();
    expect(endpoint.log).toEqual(['close udp 127.0.0.1:5060', 'open udp 0.0.0.0:5060']);
    expect(listeners.bound.map((info) => info.address)).toEqual(['0.0.0.0']);
  });

  it('keeps every old listener when a new one cannot be bound, re-opening one it had released', async () => {
    const endpoint = new FakeEndpoint();
    endpoint.unavailable.add('192.0.2.1');
    const listeners = new SipListeners(endpoint);
    await listeners.moveTo([udp('127.0.0.1'), tcp('127.0.0.1')]);
    endpoint.log.length = 0;
    const failure = listeners.moveTo([udp('0.0.0.0'), tcp('192.0.2.1')]);
    await expect(failure).rejects.toBeInstanceOf(ListenerBindError);
    expect(endpoint.addresses()).toEqual(['tcp 127.0.0.1:5060', 'udp 127.0.0.1:5060']);
    expect(listeners.bound.map((info) => `${info.transport} ${info.address}`).sort()).toEqual(['tcp 127.0.0.1', 'udp 127.0.0.1']);
    // A later move starts from what is really open.
    const move = await listeners.moveTo([udp('127.0.0.1')]);
    await move.finish();
    expect(endpoint.addresses()).toEqual(['udp 127.0.0.1:5060']);
  });

  it('names the sip.conf line of the address that could not be bound', async () => {
    const document = parseConf('[general]\ncontext=x\nbindaddr=192.0.2.1\ntcpenable=yes\n', { file: 'sip.conf' });
    const endpoint = new FakeEndpoint();
    endpoint.unavailable.add('192.0.2.1');
    const error = await new SipListeners(endpoint).moveTo([udp('192.0.2.1')]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ListenerBindError);
    expect((error as ListenerBindError).diagnosticIn(document)).toEqual({
      severity: 'error',
      file: 'sip.conf',
      line: 3,
      message: 'cannot listen on udp 192.0.2.1:5060: bind EADDRNOTAVAIL 192.0.2.1:5060',
    });
  });
});
