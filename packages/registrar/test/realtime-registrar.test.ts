import { afterAll, describe, expect, it } from 'vitest';
import type { SipResponse } from '@tandem/sip';
import { renderSipShowPeers } from '../src/cli/sip-show-peers.js';
import { PeerDirectory } from '../src/peers/peer-directory.js';
import { createRealtimeDeviceBuilder } from '../src/peers/realtime-device-builder.js';
import type { RealtimeDriver, RealtimeRow } from '../src/realtime/realtime-driver.js';
import { RealtimeFamilies } from '../src/realtime/realtime-families.js';
import { Registrar } from '../src/registrar/registrar.js';
import { answerChallenge, registerRequest, udpSource, type RegisterInit } from './support/phone.js';
import { realtimeBackends, uniqueTableName, type RealtimeBackend } from './support/realtime-backends.js';
import { sippeersDdl } from '@tandem/test-support';
import { sipConfFrom } from './support/sip-conf.js';

const backends = await realtimeBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

function quoteFor(backend: RealtimeBackend): (name: string) => string {
  return backend.name === 'mysql' ? (name) => `\`${name}\`` : (name) => `"${name}"`;
}

function value(row: RealtimeRow | undefined, name: string): string | undefined {
  return row?.find((field) => field.name === name)?.value;
}

interface World {
  registrar: Registrar;
  directory: PeerDirectory;
  table: string;
  regsTable: string | undefined;
  driver: RealtimeDriver;
}

async function withWorld(
  backend: RealtimeBackend,
  options: { general?: string; sipregs?: boolean; driver?: RealtimeDriver },
  work: (world: World) => Promise<void>,
): Promise<void> {
  const quote = quoteFor(backend);
  const table = uniqueTableName('sippeers');
  const regsTable = options.sipregs === true ? uniqueTableName('sipregs') : undefined;
  await backend.admin(sippeersDdl(table, backend.idColumn, quote));
  if (regsTable !== undefined) await backend.admin(sippeersDdl(regsTable, backend.idColumn, quote));
  const insert = (target: string, columns: Record<string, string>) =>
    backend.admin(
      `INSERT INTO ${quote(target)} (${Object.keys(columns).map(quote).join(', ')}) VALUES (${Object.values(columns)
        .map((text) => `'${text}'`)
        .join(', ')})`,
    );
  await insert(table, { name: 'alice', host: 'dynamic', type: 'friend', secret: 'alicepw', context: 'office' });
  await insert(table, { name: 'bob', host: 'dynamic', type: 'friend', secret: 'bobpw', fullcontact: 'sip:bob@127.0.3.30:5060', ipaddr: '127.0.3.30', port: '5060', regseconds: '1000' });
  if (regsTable !== undefined) await insert(regsTable, { name: 'alice' });
  const driver = options.driver ?? backend.driver();
  const mappings = [{ family: 'sippeers', driver, table }, ...(regsTable === undefined ? [] : [{ family: 'sipregs', driver, table: regsTable }])];
  const { conf, doc } = sipConfFrom(`[general]\nrealm=tandem\n${options.general ?? ''}\n`);
  const directory = new PeerDirectory({ sipConf: conf, realtime: new RealtimeFamilies(mappings), realtimeDevices: createRealtimeDeviceBuilder(doc) });
  const registrar = new Registrar({ directory });
  try {
    await work({ registrar, directory, table, regsTable, driver });
  } finally {
    registrar.close();
    directory.close();
    if (options.driver === undefined) await driver.close();
    await backend.admin(`DROP TABLE ${quote(table)}`);
    if (regsTable !== undefined) await backend.admin(`DROP TABLE ${quote(regsTable)}`);
  }
}

async function register(registrar: Registrar, init: RegisterInit, secret: string): Promise<SipResponse | undefined> {
  const first = registerRequest(init);
  const challenge = await registrar.handleRegister(first, udpSource());
  if (challenge?.status !== 401) return challenge;
  return registrar.handleRegister(answerChallenge(first, challenge, init.user, secret), udpSource());
}

for (const backend of backends) {
  const reason = backend.unavailableReason;
  if (reason !== undefined && process.env['CI'] === undefined) console.log(`skipping the ${backend.name} realtime registrar suite: ${reason}`);
  if (reason !== undefined && process.env['CI'] !== undefined) {
    it(`${backend.name}: server is reachable (CI)`, () => {
      expect.fail(reason);
    });
  }

  describe.skipIf(reason !== undefined)(`realtime REGISTER: ${backend.name}`, () => {
    it('registers a realtime peer and writes ipaddr, port, regseconds, fullcontact, useragent (rtupdate)', async () => {
      await withWorld(backend, {}, async ({ registrar, driver, table }) => {
        const before = Math.floor(Date.now() / 1000);
        const ok = await register(registrar, { user: 'alice', contact: '<sip:alice-phone@127.0.3.10:5062>', expires: 600, userAgent: 'RT Phone' }, 'alicepw');
        expect(ok?.status).toBe(200);
        const row = await driver.load(table, [{ name: 'name', value: 'alice' }]);
        expect(value(row, 'ipaddr')).toBe('127.0.3.10');
        expect(value(row, 'port')).toBe('5062');
        expect(Number(value(row, 'regseconds'))).toBeGreaterThanOrEqual(before + 600);
        expect(value(row, 'fullcontact')).toBe('sip:alice-phone@127.0.3.10:5062');
        expect(value(row, 'useragent')).toBe('RT Phone');
        expect(value(row, 'defaultuser')).toBe('alice-phone');
        // Unregister clears the row (chan_sip destroy_association()).
        const off = await register(registrar, { user: 'alice', contact: '*', expires: 0 }, 'alicepw');
        expect(off?.status).toBe(200);
        const cleared = await driver.load(table, [{ name: 'name', value: 'alice' }]);
        expect(value(cleared, 'ipaddr')).toBeUndefined();
        expect(value(cleared, 'fullcontact')).toBeUndefined();
        expect(value(cleared, 'regseconds')).toBe('0');
      });
    });

    it('rejects a wrong password and an unknown name like sip.conf peers', async () => {
      await withWorld(backend, {}, async ({ registrar }) => {
        expect((await register(registrar, { user: 'alice', contact: '<sip:a@127.0.3.10>' }, 'wrong'))?.status).toBe(403);
        expect((await register(registrar, { user: 'nobody', contact: '<sip:n@127.0.3.10>' }, 'x'))?.status).toBe(403);
      });
    });

    it('finds a registered realtime peer by address, and drops an expired registration at load', async () => {
      await withWorld(backend, {}, async ({ registrar, directory, driver, table }) => {
        await register(registrar, { user: 'alice', contact: '<sip:alice@127.0.3.10:5062>' }, 'alicepw');
        expect((await directory.findByAddressWithRealtime('127.0.3.10', 5062, 'udp'))?.name).toBe('alice');
        // bob's regseconds (1000) is long past: no address, and the row is cleared.
        const bob = await directory.find('bob');
        expect(bob?.binding).toBeUndefined();
        expect(bob?.status).toBe('Unmonitored');
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(value(await driver.load(table, [{ name: 'name', value: 'bob' }]), 'ipaddr')).toBeUndefined();
      });
    });

    it('keeps an expired registration with ignoreregexpire=yes', async () => {
      await withWorld(backend, { general: 'ignoreregexpire=yes' }, async ({ directory }) => {
        const bob = await directory.find('bob');
        expect(bob?.binding).toMatchObject({ address: '127.0.3.30', port: 5060, contact: 'sip:bob@127.0.3.30:5060' });
      });
    });

    it('caches peers with rtcachefriends=yes (sip show peers, sip prune realtime)', async () => {
      await withWorld(backend, { general: 'rtcachefriends=yes' }, async ({ registrar, directory }) => {
        await register(registrar, { user: 'alice', contact: '<sip:alice@127.0.3.10:5062>' }, 'alicepw');
        expect(directory.get('alice')?.binding?.address).toBe('127.0.3.10');
        const text = renderSipShowPeers(directory);
        expect(text.split('\n')[0]).toMatch(/Description\s+Realtime$/);
        expect(text).toMatch(/alice\/alice\s+127\.0\.3\.10\s+D .*Cached RT/);
        expect(directory.prune('all')).toEqual({ kind: 'pruned', count: 1 });
        expect(directory.get('alice')).toBeUndefined();
      });
    });

    it('drops a cached peer that did not register after rtautoclear seconds', async () => {
      await withWorld(backend, { general: 'rtcachefriends=yes\nrtautoclear=1' }, async ({ directory }) => {
        expect((await directory.find('alice'))?.origin).toBe('realtime');
        expect(directory.get('alice')).toBeDefined();
        await new Promise((resolve) => setTimeout(resolve, 1_200));
        expect(directory.get('alice')).toBeUndefined();
      });
    });

    it('writes registrations to sipregs when it is mapped', async () => {
      await withWorld(backend, { sipregs: true }, async ({ registrar, driver, table, regsTable }) => {
        expect((await register(registrar, { user: 'alice', contact: '<sip:alice@127.0.3.10:5062>' }, 'alicepw'))?.status).toBe(200);
        expect(value(await driver.load(regsTable ?? '', [{ name: 'name', value: 'alice' }]), 'ipaddr')).toBe('127.0.3.10');
        expect(value(await driver.load(table, [{ name: 'name', value: 'alice' }]), 'ipaddr')).toBeUndefined();
      });
    });

    it('answers 503 while the database is down, loses nothing, and works again when it is back', async () => {
      const outage = await backend.outage();
      try {
        await withWorld(backend, { driver: outage.driver }, async ({ registrar, driver, table }) => {
          expect((await register(registrar, { user: 'alice', contact: '<sip:alice@127.0.3.10:5062>', expires: 600 }, 'alicepw'))?.status).toBe(200);
          await outage.cut();
          const down = await registrar.handleRegister(registerRequest({ user: 'alice', contact: '<sip:alice@127.0.3.11:5062>' }), udpSource());
          expect([down?.status, down?.reason]).toEqual([503, 'Service Unavailable']);
          await outage.restore();
          // Nothing acknowledged was lost: the row still holds the registration.
          expect(value(await driver.load(table, [{ name: 'name', value: 'alice' }]), 'ipaddr')).toBe('127.0.3.10');
          expect((await register(registrar, { user: 'alice', contact: '<sip:alice@127.0.3.12:5062>' }, 'alicepw'))?.status).toBe(200);
          expect(value(await driver.load(table, [{ name: 'name', value: 'alice' }]), 'ipaddr')).toBe('127.0.3.12');
        });
      } finally {
        await outage.dispose();
      }
    });
  });
}
