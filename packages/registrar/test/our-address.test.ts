import { describe, expect, it } from 'vitest';
import { externalAddressFor } from '../src/addressing/our-address.js';
import { sipConfFrom } from './support/sip-conf.js';

const local = { address: '192.168.1.10', port: 5060 };

function general(lines: string) {
  return sipConfFrom(`[general]\n${lines}\n`).conf.general;
}

describe('externalAddressFor (chan_sip ast_sip_ouraddrfor())', () => {
  const remapping = general('localnet=192.168.0.0/16\nlocalnet=10.0.0.0/8\nexternaddr=203.0.113.5');

  it('keeps the local address toward local networks and remaps toward the outside', () => {
    expect(externalAddressFor(remapping, { transport: 'udp', address: '192.168.7.7' }, local)).toEqual(local);
    expect(externalAddressFor(remapping, { transport: 'udp', address: '10.1.2.3' }, local)).toEqual(local);
    expect(externalAddressFor(remapping, { transport: 'udp', address: '198.51.100.20' }, local)).toEqual({ address: '203.0.113.5', port: 5060 });
  });

  it('never remaps without localnet, without externaddr, or toward IPv6', () => {
    expect(externalAddressFor(general('externaddr=203.0.113.5'), { transport: 'udp', address: '198.51.100.20' }, local)).toEqual(local);
    expect(externalAddressFor(general('localnet=192.168.0.0/16'), { transport: 'udp', address: '198.51.100.20' }, local)).toEqual(local);
    expect(externalAddressFor(remapping, { transport: 'udp', address: '2001:db8::1' }, local)).toEqual(local);
  });

  it("takes externaddr's port, then externtcpport/externtlsport, then the listener's", () => {
    const withPort = general('localnet=192.168.0.0/16\nexternaddr=203.0.113.5:5080\nexterntlsport=5081');
    const outside = '198.51.100.20';
    expect(externalAddressFor(withPort, { transport: 'udp', address: outside }, local).port).toBe(5080);
    expect(externalAddressFor(withPort, { transport: 'tcp', address: outside }, local).port).toBe(5080);
    expect(externalAddressFor(withPort, { transport: 'tls', address: outside }, { address: local.address, port: 5061 }).port).toBe(5081);
    const tcpPort = general('localnet=192.168.0.0/16\nexternaddr=203.0.113.5\nexterntcpport=6000');
    expect(externalAddressFor(tcpPort, { transport: 'tcp', address: outside }, local).port).toBe(6000);
    expect(externalAddressFor(tcpPort, { transport: 'tls', address: outside }, { address: local.address, port: 5061 }).port).toBe(5061);
  });

  it('with matchexternaddrlocally remaps only when our own address is inside localnet', () => {
    const matching = general('localnet=192.168.0.0/16\nexternaddr=203.0.113.5\nmatchexternaddrlocally=yes');
    expect(externalAddressFor(matching, { transport: 'udp', address: '198.51.100.20' }, local).address).toBe('203.0.113.5');
    expect(externalAddressFor(matching, { transport: 'udp', address: '198.51.100.20' }, { address: '172.16.0.1', port: 5060 })).toEqual({ address: '172.16.0.1', port: 5060 });
  });

  it('uses the resolved externhost when no externaddr is set', () => {
    const byHost = general('localnet=192.168.0.0/16\nexternhost=pbx.example.com');
    expect(externalAddressFor(byHost, { transport: 'udp', address: '198.51.100.20' }, local, '203.0.113.9')).toEqual({ address: '203.0.113.9', port: 5060 });
  });
});
