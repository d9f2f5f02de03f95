// REGISTER throughput and memory of @tandem/registrar (built sources in dist/).
// Prints figures only: REGISTERs per second with digest auth through Registrar.handleRegister
// for sip.conf peers (persistence on: WAL + synchronous=FULL, group commit) and for realtime
// peers on sqlite3, MariaDB and PostgreSQL; memory per registered peer; `sip show peers`
// time at 100,000 peers. Run: pnpm -F @tandem/registrar bench
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { buildSipConf, parseConf } from '@tandem/config';
import { createDigestAuthorization, parseMessage, selectDigestChallenge, SipHeaders, SipRequest } from '@tandem/sip';
import {
  createMysqlDriver,
  createPgsqlDriver,
  createRealtimeDeviceBuilder,
  createSqlite3Driver,
  EmbeddedStore,
  PeerDirectory,
  RealtimeFamilies,
  Registrar,
  renderSipShowPeers,
} from '../dist/index.js';

const gc = globalThis.gc ?? (() => undefined);
const source = { transport: 'udp', remoteAddress: '127.0.3.10', remotePort: 5062, localAddress: '127.0.3.1', localPort: 5060 };
let sequence = 0;

function sipConf(count, extra = '') {
  let text = `[general]\nrealm=tandem\nalwaysauthreject=yes\n${extra}\n[phone](!)\ntype=friend\nhost=dynamic\ncontext=office\n`;
  for (let i = 0; i < count; i++) text += `[p${i}](phone)\nsecret=pw${i}\n`;
  const doc = parseConf(text, { file: 'sip.conf' });
  return { conf: buildSipConf(doc).config, doc };
}

function register(user, port) {
  sequence++;
  const text = [
    'REGISTER sip:127.0.3.1 SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.3.10:${port};branch=z9hG4bK${sequence.toString(16)}`,
    'Max-Forwards: 70',
    `From: <sip:${user}@127.0.3.1>;tag=t${sequence}`,
    `To: <sip:${user}@127.0.3.1>`,
    `Call-ID: c${sequence}@127.0.3.10`,
    'CSeq: 1 REGISTER',
    `Contact: <sip:${user}@127.0.3.10:${port}>`,
    'Expires: 3600',
    'User-Agent: bench',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const outcome = parseMessage(Buffer.from(text));
  if (outcome.kind !== 'message') throw new Error('bad REGISTER');
  return outcome.message;
}

function answer(request, challenge, user, secret) {
  const selected = selectDigestChallenge(challenge);
  const headers = new SipHeaders();
  for (const field of request.headers) {
    headers.add(field.name, field.name === 'CSeq' ? '2 REGISTER' : field.value);
  }
  headers.add('Authorization', createDigestAuthorization({ challenge: selected.challenge, method: 'REGISTER', requestUri: request.uri, username: user, secret }));
  return new SipRequest({ method: 'REGISTER', uri: request.uri, headers });
}

/** Runs `requests` through handleRegister, `concurrency` at a time; returns ms and responses. */
async function run(registrar, requests, concurrency) {
  const responses = new Array(requests.length);
  const started = performance.now();
  for (let offset = 0; offset < requests.length; offset += concurrency) {
    const batch = requests.slice(offset, offset + concurrency);
    const answered = await Promise.all(batch.map((request) => registrar.handleRegister(request, source)));
    for (let i = 0; i < answered.length; i++) responses[offset + i] = answered[i];
  }
  return { ms: performance.now() - started, responses };
}

/** Full digest registrations of `users` (401 then 200); prints and returns the rates. */
async function measure(label, registrar, users, secretOf, concurrency) {
  const firsts = users.map((user, index) => register(user, 10000 + (index % 50000)));
  const challenged = await run(registrar, firsts, concurrency);
  const seconds = firsts.map((request, index) => answer(request, challenged.responses[index], users[index], secretOf(users[index])));
  const done = await run(registrar, seconds, concurrency);
  const ok = done.responses.filter((response) => response?.status === 200).length;
  if (ok !== users.length) throw new Error(`${label}: only ${ok}/${users.length} got 200 (${done.responses.find((r) => r?.status !== 200)?.status})`);
  const totalMs = challenged.ms + done.ms;
  const requestsPerSecond = ((users.length * 2) / totalMs) * 1000;
  const registrationsPerSecond = (users.length / totalMs) * 1000;
  console.log(
    `${label.padEnd(44)} ${String(Math.round(requestsPerSecond)).padStart(6)} REGISTER/s  (${Math.round(registrationsPerSecond)} full 401+200 registrations/s, ${users.length} peers, ${concurrency} in flight)`,
  );
  return requestsPerSecond;
}

function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function sipConfBench() {
  console.log('\n# sip.conf peers, persistence on (WAL, synchronous=FULL, group commit)');
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-'));
  try {
    const count = 20_000;
    const { conf } = sipConf(count);
    for (const [synchronous, concurrency] of [['full', 1], ['full', 200], ['normal', 200]]) {
      const store = EmbeddedStore.open({ dataDir: join(dir, `${synchronous}-${concurrency}`), synchronous });
      const directory = new PeerDirectory({ sipConf: conf });
      const registrar = new Registrar({ directory, store });
      const users = Array.from({ length: concurrency === 1 ? 2_000 : count }, (_, i) => `p${i}`);
      await measure(`sip.conf, synchronous=${synchronous}`, registrar, users, (user) => `pw${user.slice(1)}`, concurrency);
      registrar.close();
      directory.close();
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function memoryBench() {
  console.log('\n# memory (heap, after GC)');
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-mem-'));
  try {
    for (const count of [10_000, 100_000]) {
      gc();
      const base = process.memoryUsage().heapUsed;
      const { conf } = sipConf(count);
      const directory = new PeerDirectory({ sipConf: conf });
      gc();
      const configured = process.memoryUsage().heapUsed;
      const store = EmbeddedStore.open({ dataDir: join(dir, String(count)) });
      const registrar = new Registrar({ directory, store });
      const users = Array.from({ length: count }, (_, i) => `p${i}`);
      const rate = await measure(`sip.conf, ${count} peers, register all`, registrar, users, (user) => `pw${user.slice(1)}`, 500);
      void rate;
      gc();
      const registered = process.memoryUsage().heapUsed;
      console.log(
        `${count} peers: config ${mb(configured - base)} (${Math.round((configured - base) / count)} B/peer), registering adds ${mb(registered - configured)} (${Math.round((registered - configured) / count)} B/peer), total ${Math.round((registered - base) / count)} B per registered peer`,
      );
      if (count === 100_000) {
        let lines = 0;
        const started = performance.now();
        const text = renderSipShowPeers(directory);
        for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
        const renderMs = performance.now() - started;
        const sortedAgain = performance.now();
        renderSipShowPeers(directory, '^p9999');
        console.log(`sip show peers, ${count} peers: ${renderMs.toFixed(0)} ms (${lines} lines, ${mb(text.length)}); 'like ^p9999' ${(performance.now() - sortedAgain).toFixed(0)} ms`);
        let found = 0;
        const lookups = performance.now();
        for (let i = 0; i < 100_000; i++) if (directory.findByAddress('127.0.3.10', 10000 + (i % 50000), 'udp') !== undefined) found++;
        console.log(`findByAddress: ${((100_000 / (performance.now() - lookups)) * 1000).toFixed(0)} lookups/s (${found} found)`);
      }
      registrar.close();
      directory.close();
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const columns = `"name" VARCHAR(40) NOT NULL UNIQUE, "host" VARCHAR(40), "type" VARCHAR(6), "secret" VARCHAR(40), "context" VARCHAR(40),
  "ipaddr" VARCHAR(45), "port" INTEGER, "regseconds" INTEGER, "defaultuser" VARCHAR(40), "fullcontact" VARCHAR(80),
  "regserver" VARCHAR(20), "useragent" VARCHAR(255), "lastms" INTEGER`;

async function realtimeBench(label, driver, exec, idColumn, quoteStyle) {
  const table = `bench_sippeers_${process.pid}`;
  const ddlColumns = quoteStyle === 'backtick' ? columns.replaceAll('"', '`') : columns;
  const count = 2_000;
  await exec(`DROP TABLE IF EXISTS ${table}`);
  await exec(`CREATE TABLE ${table} (${idColumn}, ${ddlColumns})`);
  const values = Array.from({ length: count }, (_, i) => `('r${i}', 'dynamic', 'friend', 'pw${i}', 'office')`).join(', ');
  await exec(`INSERT INTO ${table} (name, host, type, secret, context) VALUES ${values}`);
  const { conf, doc } = sipConf(0, 'rtupdate=yes');
  const directory = new PeerDirectory({
    sipConf: conf,
    realtime: new RealtimeFamilies([{ family: 'sippeers', driver, table }]),
    realtimeDevices: createRealtimeDeviceBuilder(doc),
  });
  const registrar = new Registrar({ directory });
  const users = Array.from({ length: count }, (_, i) => `r${i}`);
  try {
    await measure(`realtime ${label}`, registrar, users, (user) => `pw${user.slice(1)}`, 50);
  } finally {
    registrar.close();
    directory.close();
    await driver.close();
    await exec(`DROP TABLE ${table}`);
  }
}

async function realtimeBenches() {
  console.log('\n# realtime peers (lookup on every REGISTER, rtupdate write before the 200)');
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-rt-'));
  try {
    const file = join(dir, 'rt.sqlite');
    const admin = new Database(file);
    admin.pragma('journal_mode = WAL');
    await realtimeBench('sqlite3', createSqlite3Driver({ file }), async (sql) => admin.exec(sql), 'id INTEGER PRIMARY KEY', 'double');
    admin.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  try {
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test', connectTimeout: 2000 });
    await realtimeBench(
      'mysql (MariaDB)',
      createMysqlDriver({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test' }),
      async (sql) => admin.query(sql),
      'id INT AUTO_INCREMENT PRIMARY KEY',
      'backtick',
    );
    await admin.end();
  } catch (error) {
    console.log(`realtime mysql: skipped (${error.message})`);
  }
  try {
    const admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
    await admin.connect();
    await realtimeBench('pgsql', createPgsqlDriver({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' }), (sql) => admin.query(sql), 'id SERIAL PRIMARY KEY', 'double');
    await admin.end();
  } catch (error) {
    console.log(`realtime pgsql: skipped (${error.message})`);
  }
}

console.log(`@tandem/registrar bench — node ${process.version}, ${new Date().toISOString()}`);
await sipConfBench();
await realtimeBenches();
await memoryBench();
