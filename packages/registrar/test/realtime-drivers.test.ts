import { afterAll, describe, expect, it } from 'vitest';
import type { Logger } from '../src/logger.js';
import { isRegistrarError } from '../src/registrar-error.js';
import type { RealtimeDriver, RealtimeRow } from '../src/realtime/realtime-driver.js';
import { realtimeBackends, uniqueTableName, type RealtimeBackend } from './support/realtime-backends.js';
import { sippeersDdl } from '@tandem/test-support';

const backends = await realtimeBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

function value(row: RealtimeRow | undefined, name: string): string | undefined {
  return row?.find((field) => field.name === name)?.value;
}

function values(row: RealtimeRow | undefined, name: string): string[] {
  return (row ?? []).filter((field) => field.name === name).map((field) => field.value);
}

function quoteFor(backend: RealtimeBackend): (name: string) => string {
  return backend.name === 'mysql' ? (name) => `\`${name}\`` : (name) => `"${name}"`;
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (objOrMessage: object | string, message?: string): void => {
    lines.push(typeof objOrMessage === 'string' ? objOrMessage : (message ?? ''));
  };
  return { lines, debug: record, info: record, warn: record, error: record };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
    expect.unreachable('expected a RegistrarError');
  } catch (error) {
    expect(isRegistrarError(error) ? error.code : error).toBe(code);
  }
}

for (const backend of backends) {
  const reason = backend.unavailableReason;
  if (reason !== undefined) {
    if (process.env['CI'] !== undefined) {
      it(`${backend.name}: server is reachable (CI)`, () => {
        expect.fail(reason);
      });
    } else {
      console.log(`skipping the ${backend.name} realtime suite: ${reason}`);
    }
  }

  describe.skipIf(reason !== undefined)(`realtime driver: ${backend.name}`, () => {
    async function withTable(work: (driver: RealtimeDriver, table: string) => Promise<void>, omit: readonly string[] = []): Promise<void> {
      const table = uniqueTableName('sippeers');
      await backend.admin(sippeersDdl(table, backend.idColumn, quoteFor(backend), omit));
      const driver = backend.driver();
      try {
        await work(driver, table);
      } finally {
        await driver.close();
        await backend.admin(`DROP TABLE ${quoteFor(backend)(table)}`);
      }
    }

    it('stores and loads rows with Asterisk criteria semantics', async () => {
      await withTable(async (driver, table) => {
        expect(await driver.store(table, [
          { name: 'name', value: 'alice' },
          { name: 'host', value: 'dynamic' },
          { name: 'type', value: 'friend' },
          { name: 'secret', value: 's3cret' },
          { name: 'regseconds', value: '100' },
          { name: 'allow', value: 'ulaw;alaw' },
          { name: 'callerid', value: '"Alice" <100^3B1>' },
          { name: 'call-limit', value: '2' },
        ])).toBe(1);
        await driver.store(table, [
          { name: 'name', value: 'bob' },
          { name: 'host', value: '127.0.3.7' },
          { name: 'type', value: 'peer' },
          { name: 'regseconds', value: '300' },
          { name: 'insecure', value: 'port,invite' },
        ]);
        const alice = await driver.load(table, [{ name: 'name', value: 'alice' }, { name: 'host', value: 'dynamic' }]);
        expect(value(alice, 'secret')).toBe('s3cret');
        // A `;` in a column gives one field per chunk; `^3B` decodes to `;`.
        expect(values(alice, 'allow')).toEqual(['ulaw', 'alaw']);
        expect(value(alice, 'callerid')).toBe('"Alice" <100;1>');
        expect(value(alice, 'call-limit')).toBe('2');
        // Empty and NULL columns are left out of a single-row load.
        expect(alice?.some((field) => field.name === 'ipaddr')).toBe(false);
        expect(await driver.load(table, [{ name: 'name', value: 'alice' }, { name: 'host', value: '127.0.0.1' }])).toBeUndefined();
        expect(value(await driver.load(table, [{ name: 'regseconds >', value: '200' }]), 'name')).toBe('bob');
        expect(value(await driver.load(table, [{ name: 'insecure LIKE', value: '%port%' }]), 'name')).toBe('bob');
        const all = await driver.loadMulti(table, [{ name: 'name LIKE', value: '%' }]);
        expect(all.map((row) => value(row, 'name'))).toEqual(['alice', 'bob']);
        expect(await driver.loadMulti(table, [{ name: 'name', value: 'nobody' }])).toEqual([]);
      });
    });

    it('escapes LIKE wildcards written with a backslash', async () => {
      await withTable(async (driver, table) => {
        await driver.store(table, [{ name: 'name', value: 'a_b' }]);
        await driver.store(table, [{ name: 'name', value: 'axb' }]);
        const rows = await driver.loadMulti(table, [{ name: 'name LIKE', value: 'a\\_b' }]);
        expect(rows.map((row) => value(row, 'name'))).toEqual(['a_b']);
      });
    });

    it('updates, updates with several criteria and destroys', async () => {
      await withTable(async (driver, table) => {
        await driver.store(table, [{ name: 'name', value: 'carol' }, { name: 'host', value: 'dynamic' }]);
        await driver.store(table, [{ name: 'name', value: 'dave' }, { name: 'host', value: 'dynamic' }]);
        const changed = await driver.update(table, 'name', 'carol', [
          { name: 'ipaddr', value: '127.0.3.9' },
          { name: 'port', value: '5070' },
          { name: 'regseconds', value: '1900000000' },
          { name: 'fullcontact', value: 'sip:carol@127.0.3.9:5070;ob' },
          { name: 'useragent', value: 'Tandem test' },
          { name: 'lastms', value: '0' },
          // Not a column of this table: skipped with a notice, as res_config_pgsql does.
          { name: 'nosuchcolumn', value: 'x' },
        ]);
        expect(changed).toBe(1);
        const carol = await driver.load(table, [{ name: 'name', value: 'carol' }]);
        expect(value(carol, 'ipaddr')).toBe('127.0.3.9');
        expect(value(carol, 'port')).toBe('5070');
        expect(values(carol, 'fullcontact')).toEqual(['sip:carol@127.0.3.9:5070', 'ob']);
        // chan_sip destroy_association(): empty strings, numeric columns to NULL where needed.
        await driver.update(table, 'name', 'carol', [{ name: 'ipaddr', value: '' }, { name: 'port', value: '' }]);
        expect(value(await driver.load(table, [{ name: 'name', value: 'carol' }]), 'ipaddr')).toBeUndefined();
        expect(await driver.update2(table, [{ name: 'host', value: 'dynamic' }, { name: 'name LIKE', value: 'd%' }], [{ name: 'context', value: 'office' }])).toBe(1);
        expect(value(await driver.load(table, [{ name: 'name', value: 'dave' }]), 'context')).toBe('office');
        expect(await driver.destroy(table, 'name', 'dave', [{ name: 'context', value: 'elsewhere' }])).toBe(0);
        expect(await driver.destroy(table, 'name', 'dave')).toBe(1);
        expect(await driver.load(table, [{ name: 'name', value: 'dave' }])).toBeUndefined();
      });
    });

    it('rejects malformed criteria before reaching the database', async () => {
      await withTable(async (driver, table) => {
        await expectCode(driver.load(table, [{ name: 'name; DROP TABLE x', value: 'a' }]), 'invalid-argument');
        await expectCode(driver.load(table, [{ name: 'name OR', value: 'a' }]), 'invalid-argument');
        await expectCode(driver.load(table, []), 'invalid-argument');
        await expectCode(driver.load('no_such_table_here', [{ name: 'name', value: 'a' }]), 'realtime-query-failed');
        // A criterion on a column the table lacks matches nothing.
        expect(await driver.load(table, [{ name: 'nosuchcolumn', value: 'a' }])).toBeUndefined();
      });
    });

    it('checks required columns: warns, or adds them with requirements=createclose', async () => {
      const table = uniqueTableName('sipregs');
      await backend.admin(sippeersDdl(table, backend.idColumn, quoteFor(backend), ['regserver', 'lastms']));
      const logger = recordingLogger();
      const warn = backend.driver({ logger });
      const create = backend.driver({ requirements: 'createclose' });
      try {
        const required = [
          { name: 'name', type: 'char', size: 10 },
          { name: 'regserver', type: 'char', size: 20 },
          { name: 'lastms', type: 'integer', size: 11 },
        ] as const;
        expect(await warn.requireColumns(table, required)).toEqual(['regserver', 'lastms']);
        expect(logger.lines.join('\n')).toContain(`Table ${table} requires a column 'regserver'`);
        expect(await create.requireColumns(table, required)).toEqual([]);
        expect(await create.requireColumns(table, required)).toEqual([]);
        await create.store(table, [{ name: 'name', value: 'erin' }, { name: 'lastms', value: '12' }, { name: 'regserver', value: 'pbx1' }]);
        const erin = await create.load(table, [{ name: 'name', value: 'erin' }]);
        expect(value(erin, 'lastms')).toBe('12');
        expect(value(erin, 'regserver')).toBe('pbx1');
      } finally {
        await warn.close();
        await create.close();
        await backend.admin(`DROP TABLE ${quoteFor(backend)(table)}`);
      }
    });

    it('answers realtime-unavailable when the database cannot be reached', async () => {
      const dead = backend.deadDriver();
      try {
        await expectCode(dead.load('sippeers', [{ name: 'name', value: 'a' }]), 'realtime-unavailable');
        // Still unavailable on the next call, no crash, no stale state.
        await expectCode(dead.update('sippeers', 'name', 'a', [{ name: 'ipaddr', value: '1' }]), 'realtime-unavailable');
      } finally {
        await dead.close();
      }
    });

    it('reconnects after the server killed its session', async () => {
      await withTable(async (driver, table) => {
        await driver.store(table, [{ name: 'name', value: 'frank' }]);
        expect(value(await driver.load(table, [{ name: 'name', value: 'frank' }]), 'name')).toBe('frank');
        const killed = await backend.killSessions();
        if (backend.name !== 'sqlite3') expect(killed).toBeGreaterThan(0);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(value(await driver.load(table, [{ name: 'name', value: 'frank' }]), 'name')).toBe('frank');
        expect(await driver.update(table, 'name', 'frank', [{ name: 'lastms', value: '5' }])).toBe(1);
      });
    });
  });
}
