import { describe, expect, it } from 'vitest';
import {
  renderDatabaseDel,
  renderDatabaseDeltree,
  renderDatabaseGet,
  renderDatabasePut,
  renderDatabaseShow,
  renderDatabaseShowKey,
} from '../src/cli/database.js';
import { renderSipPruneRealtime, renderSipUnregister } from '../src/cli/sip-peer-commands.js';
import { renderSipShowInuse } from '../src/cli/sip-show-inuse.js';
import { renderSipShowPeer } from '../src/cli/sip-show-peer.js';
import { renderSipShowPeers } from '../src/cli/sip-show-peers.js';
import { registryTime, renderSipShowRegistry } from '../src/cli/sip-show-registry.js';
import { renderSipShowUsers } from '../src/cli/sip-show-users.js';
import { PeerDirectory } from '../src/peers/peer-directory.js';
import { EmbeddedStore } from '../src/store/embedded-store.js';
import { sipConfFrom } from './support/sip-conf.js';
import { useTempDir } from './support/temp-dir.js';

const conf = `
[general]
context=default

[1000]
type=friend
host=dynamic
secret=s3cret
context=office
qualify=yes
description=Reception

[provider]
type=peer
host=203.0.113.10
permit=203.0.113.0/24
nat=no

[zed]
type=user
secret=zz
accountcode=acct9
`;

function directory(): PeerDirectory {
  return new PeerDirectory({ sipConf: sipConfFrom(conf).conf });
}

describe('sip show peers', () => {
  it('prints chan_sip layout, sorted, with the footer counts', () => {
    const peers = directory();
    const phone = peers.get('1000');
    if (phone === undefined) throw new Error('no peer');
    peers.setBinding(phone, {
      contact: 'sip:1000@192.168.1.50:5060',
      address: '192.168.1.50',
      port: 5060,
      transport: 'udp',
      expirySeconds: 120,
      expiresAt: Date.now() + 120_000,
      registeredAt: Date.now(),
      userAgent: '',
      path: [],
    });
    phone.defaultUser = '1000';
    phone.lastMs = 12;
    expect(renderSipShowPeers(peers)).toBe(
      [
        'Name/username             Host                                    Dyn Forcerport Comedia    ACL Port     Status      Description                      ',
        '1000/1000                 192.168.1.50                             D  Auto (No)  No             5060     OK (12 ms)  Reception                        ',
        'provider                  203.0.113.10                                No         No          A  5060     Unmonitored                                  ',
        '2 sip peers [Monitored: 1 online, 0 offline Unmonitored: 1 online, 0 offline]',
        '',
      ].join('\n'),
    );
  });

  it('filters with like, shows an unregistered dynamic peer as (Unspecified), rejects a bad pattern', () => {
    const peers = directory();
    const text = renderSipShowPeers(peers, '^10');
    expect(text.split('\n')[1]).toBe(
      '1000                      (Unspecified)                            D  Auto (No)  No             0        UNKNOWN     Reception                        ',
    );
    expect(text).toContain('1 sip peers [Monitored: 0 online, 1 offline Unmonitored: 0 online, 0 offline]');
    expect(renderSipShowPeers(peers, '(')).toMatch(/^Usage: sip show peers/);
  });
});

describe('sip show users / registry / peer', () => {
  it('lists users with secrets as chan_sip does', () => {
    expect(renderSipShowUsers(directory())).toBe(
      [
        'Username                   Secret           Accountcode      Def.Context      ACL  Forcerport',
        '1000                       s3cret                            office           No   No        ',
        'zed                        zz               acct9            default          No   No        ',
        '',
      ].join('\n'),
    );
  });

  it('prints the registry table', () => {
    const regTime = new Date(2024, 10, 26, 8, 25, 1);
    const text = renderSipShowRegistry([
      { host: 'sip.provider.example:5060', dnsmgr: 'N', username: '4015552299', refresh: 105, state: 'Registered', regTime },
    ]);
    expect(registryTime(regTime)).toBe('Tue, 26 Nov 2024 08:25:01');
    expect(text).toBe(
      [
        'Host                                    dnsmgr Username       Refresh State                Reg.Time                 ',
        'sip.provider.example:5060               N      4015552299         105 Registered           Tue, 26 Nov 2024 08:25:01',
        '1 SIP registrations.',
        '',
      ].join('\n'),
    );
  });

  it('prints sip show peer with chan_sip labels', () => {
    const peers = directory();
    const text = renderSipShowPeer('1000', peers.get('1000'), { general: peers.general, realtimeConfigured: false, expiresIn: -1 });
    expect(text.startsWith('\n\n  * Name       : 1000\n  Description  : Reception\n  Secret       : <Set>\n')).toBe(true);
    for (const line of [
      '  Context      : office\n',
      '  Dynamic      : Yes\n',
      '  Callerid     : "" <>\n',
      '  Expire       : -1\n',
      '  Force rport  : Auto (No)\n',
      '  Addr->IP     : (null)\n',
      '  Codecs       : (ulaw|alaw|gsm|h263)\n',
      '  Status       : UNKNOWN\n',
      '  Qualify Freq : 60000 ms\n',
    ]) {
      expect(text).toContain(line);
    }
    expect(renderSipShowPeer('ghost', undefined, { general: peers.general, realtimeConfigured: false, expiresIn: -1 })).toBe('Peer ghost not found.\n\n');
  });

  it('prints the peer command answers', () => {
    expect(renderSipUnregister('1000', 'unregistered')).toBe("Unregistered peer '1000'\n\n");
    expect(renderSipUnregister('1000', 'not-registered')).toBe('Peer 1000 not registered\n');
    expect(renderSipUnregister('x', 'unknown')).toBe("Peer unknown: 'x'. Not unregistered.\n");
    expect(renderSipPruneRealtime({ kind: 'pruned', count: 0 })).toBe('No peers found to prune.\n');
    expect(renderSipPruneRealtime({ kind: 'pruned', count: 3 })).toBe('3 peers pruned.\n');
    expect(renderSipPruneRealtime({ kind: 'not-realtime' }, '1000')).toBe("Peer '1000' is not a Realtime peer, cannot be pruned.\n");
  });
});

describe('database commands', () => {
  it('puts, shows, gets, deletes as Asterisk prints them', () => {
    using dir = useTempDir();
    const store = EmbeddedStore.open({ dataDir: dir.path });
    const db = store.astDb;
    expect(renderDatabasePut(db, 'cidname', '5551234', 'Alice')).toBe('Updated database successfully\n');
    db.put('cidname', '5559999', 'Bob');
    db.put('blacklist', '5550000', '1');
    expect(renderDatabaseShow(db, 'cidname')).toBe(
      `${'/cidname/5551234'.padEnd(50)}: ${'Alice'.padEnd(25)}\n${'/cidname/5559999'.padEnd(50)}: ${'Bob'.padEnd(25)}\n2 results found.\n`,
    );
    // family/keytree in one argument, and case-insensitive tree matching (LIKE).
    expect(renderDatabaseShow(db, 'CIDNAME/5551234')).toContain('1 results found.');
    expect(renderDatabaseShow(db)).toContain('3 results found.');
    expect(renderDatabaseShowKey(db, '5550000')).toContain('/blacklist/5550000');
    expect(renderDatabaseGet(db, 'cidname', '5551234')).toBe('Value: Alice\n');
    expect(renderDatabaseGet(db, 'cidname', 'nope')).toBe('Database entry not found.\n');
    expect(renderDatabaseDel(db, 'cidname', '5551234')).toBe('Database entry removed.\n');
    expect(renderDatabaseDel(db, 'cidname', '5551234')).toBe('Database entry could not be removed.\n');
    expect(renderDatabaseDeltree(db, 'nothing')).toBe('Database entries do not exist.\n');
    expect(renderDatabaseDeltree(db, 'cidname')).toBe('1 database entries removed.\n');
    expect(db.keys('')).toEqual(['blacklist']);
    store.close();
  });
});

describe('device state', () => {
  it('follows chan_sip sip_devicestate() order', () => {
    const peers = directory();
    expect(peers.deviceStateOf('nobody')).toBe('INVALID');
    expect(peers.deviceStateOf('1000')).toBe('UNAVAILABLE');
    expect(peers.deviceStateOf('provider')).toBe('NOT_INUSE');
    const provider = peers.get('provider');
    if (provider === undefined) throw new Error('no peer');
    provider.onHold = 1;
    expect(peers.deviceStateOf('100@provider')).toBe('ONHOLD');
    provider.onHold = 0;
    provider.ringing = 1;
    provider.inUse = 1;
    expect(provider.deviceState).toBe('RINGING');
    provider.inUse = 2;
    expect(provider.deviceState).toBe('RINGINUSE');
  });

  it('`sip show inuse` lists in use/ringing/on hold and the limit (chan_sip sip_show_inuse())', () => {
    const peers = directory();
    const provider = peers.get('provider');
    if (provider === undefined) throw new Error('no peer');
    Object.assign(provider, { inUse: 2, ringing: 1, onHold: 0 });
    // Without `all`, only peers with a call-limit; none has one here.
    expect(renderSipShowInuse(peers, false)).toBe('* Peer name               In use          Limit           \n');
    const all = renderSipShowInuse(peers, true).split('\n');
    expect(all[0]).toBe('* Peer name               In use          Limit           ');
    expect(all).toContain('provider                  2/1/0           N/A             ');
    expect(all).toContain('1000                      0/0/0           N/A             ');
  });
});
