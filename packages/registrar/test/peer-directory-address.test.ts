import { describe, expect, it } from 'vitest';
import { PeerDirectory } from '../src/peers/peer-directory.js';
import { silentLogger } from '../src/logger.js';
import { sipConfFrom } from './support/sip-conf.js';

describe('PeerDirectory.findByAddress with a callback extension (chan_sip peer_ipcmp_cb_full())', () => {
  it('prefers the peer whose callbackextension is the called extension among peers of one address', async () => {
    const { conf } = sipConfFrom(`
[general]
[line-a]
type=peer
host=192.0.2.10
insecure=port
callbackextension=7001
[line-b]
type=peer
host=192.0.2.10
insecure=port
callbackextension=7002
`);
    const directory = new PeerDirectory({ sipConf: conf, logger: silentLogger });
    await directory.resolveStaticAddresses();
    expect(directory.findByAddress('192.0.2.10', 5060, 'udp', '7002')?.name).toBe('line-b');
    expect(directory.findByAddress('192.0.2.10', 5099, 'udp', '7001')?.name).toBe('line-a');
    expect(directory.findByAddress('192.0.2.10', 5060, 'udp', '9999')).toBeUndefined();
    expect(directory.findByAddress('192.0.2.10', 5060, 'udp')?.name).toBe('line-a');
    // Each callbackextension peer registers itself (build_peer()).
    expect(conf.registrations.map((line) => line.extension)).toEqual(['7001', '7002']);
    directory.close();
  });
});
