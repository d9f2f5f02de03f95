#!/usr/bin/env node
/**
 * Registration benchmark of the BUILT server (apps/server/dist) driven by sipp over loopback.
 * Prints figures, asserts nothing:
 * - REGISTERs per second with digest authentication (each registration is a REGISTER, its
 *   401, the authenticated REGISTER and its 200) for sip.conf peers with persistence on (the
 *   embedded store, synchronous=FULL, bindings durable before the 200), and for realtime peers
 *   on SQLite, MariaDB and PostgreSQL (rtupdate writes each binding to its row);
 * - the server's CPU time per registration (less sensitive to a shared machine than rates);
 * - server RSS before and after 10,000 and 100,000 registrations, per registered peer;
 * - `sip show peers` time with 100,000 peers, and a restart that restores them.
 *
 * Run: pnpm -F @tandem/bench bench [-- --sizes 10000,100000 --realtime-peers 5000
 *      --backends sqlite3,mysql,pgsql --concurrency 200 --settle 35]
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  openRealtimeDatabase,
  serverMain,
  startTandem,
  useConfDir,
  type ConfDir,
  type RealtimeBackendName,
  type TandemProcess,
} from '@tandem/test-support';
import { timeCommand } from './control-timing.js';
import { processCpuMs, processMemory, type ProcessMemory } from './process-stats.js';
import { runSippLoad, type SippLoadResult } from './sipp-load.js';

// Loopback addresses 127.0.35.100-101 (the registrar's block); never port 5060.
const SERVER = '127.0.35.100';
const PHONES = '127.0.35.101';
const SIP_PORT = 5163;
const PHONES_PORT = 5186;
const registerScenario = fileURLToPath(new URL('../../e2e/scenarios/register-from-csv.xml', import.meta.url));

const { values: options } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    'realtime-peers': { type: 'string', default: '5000' },
    backends: { type: 'string', default: 'sqlite3,mysql,pgsql' },
    concurrency: { type: 'string', default: '200' },
    settle: { type: 'string', default: '35' },
  },
});
const sizes = options.sizes.split(',').map(Number).filter((size) => size > 0);
const realtimePeers = Number(options['realtime-peers']);
const backends = options.backends.split(',').filter((name): name is RealtimeBackendName => name === 'sqlite3' || name === 'mysql' || name === 'pgsql');
const concurrency = Number(options.concurrency);
const settleSeconds = Number(options.settle);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const peerName = (index: number): string => `p${String(index).padStart(6, '0')}`;
const peerSecret = (index: number): string => `pw${String(index).padStart(6, '0')}`;
const kb = (value: number): string => `${value.toFixed(1)} kB`;
const mb = (kilobytes: number): string => `${(kilobytes / 1024).toFixed(0)} MB`;
const perSecond = (count: number, ms: number): string => `${Math.round((count * 1000) / ms)}/s`;
const say = (line: string): void => console.log(line);

function generalSection(extra = ''): string {
  return `[general]\nbindaddr=${SERVER}\nbindport=${SIP_PORT}\nallowguest=no\nalwaysauthreject=yes\n${extra}\n`;
}

function sipConf(count: number): string {
  const parts = [generalSection(), '[phone](!)\ntype=friend\nhost=dynamic\ncontext=phones\ndisallow=all\nallow=ulaw\n'];
  for (let index = 0; index < count; index++) parts.push(`[${peerName(index)}](phone)\nsecret=${peerSecret(index)}\n`);
  return parts.join('\n');
}

const baseFiles = {
  'extensions.conf': '[phones]\n',
  'rtp.conf': '[general]\nrtpstart=23700\nrtpend=23710\n',
};

/** An injection file for sipp: one phone per call, its credentials as the [authentication] keyword. */
function writeInjectionFile(confDir: ConfDir, count: number): string {
  const lines = ['SEQUENTIAL'];
  for (let index = 0; index < count; index++) lines.push(`${peerName(index)};[authentication username=${peerName(index)} password=${peerSecret(index)}]`);
  const path = join(confDir.path, 'phones.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function startServer(confDir: ConfDir): Promise<{ tandem: TandemProcess; startupMs: number }> {
  const started = performance.now();
  const tandem = await startTandem({ confDir, sipAddress: SERVER, sipPort: SIP_PORT, readyTimeoutMs: 600_000 });
  return { tandem, startupMs: performance.now() - started };
}

/** Memory once the server has been idle for a moment. */
async function idleMemory(tandem: TandemProcess, ms = 2000): Promise<ProcessMemory> {
  await sleep(ms);
  return processMemory(tandem.pid);
}

interface Registration {
  readonly load: SippLoadResult;
  readonly cpuMs: number;
}

async function registerAll(tandem: TandemProcess, confDir: ConfDir, count: number): Promise<Registration> {
  const injectionFile = writeInjectionFile(confDir, count);
  const cpuBefore = processCpuMs(tandem.pid);
  const load = await runSippLoad({
    scenario: registerScenario,
    remote: `${SERVER}:${SIP_PORT}`,
    localAddress: PHONES,
    localPort: PHONES_PORT,
    injectionFile,
    calls: count,
    concurrency,
    timeoutMs: Math.max(120_000, count * 20),
  });
  return { load, cpuMs: processCpuMs(tandem.pid) - cpuBefore };
}

function reportRegistration(label: string, registration: Registration): void {
  const { load, cpuMs } = registration;
  say(`  load average ${loadavg()[0]?.toFixed(1) ?? '?'} after the run`);
  say(
    `  ${label}: ${load.succeeded} registered, ${load.failed} failed in ${(load.elapsedMs / 1000).toFixed(1)} s: ` +
      `${perSecond(2 * load.succeeded, load.elapsedMs)} REGISTERs (${perSecond(load.succeeded, load.elapsedMs)} registrations); ` +
      `server CPU ${(cpuMs / Math.max(load.succeeded, 1)).toFixed(3)} ms per registration (${Math.round((load.succeeded * 1000) / Math.max(cpuMs, 1))} registrations per CPU-second)`,
  );
  if (load.exitCode !== 0) say(`  sipp exit code ${String(load.exitCode)}; last screen:\n${load.screen.slice(-3000)}`);
}

/** `tandem -rx COMMAND` as an operator runs it (a new node process), in ms. */
function timeRx(controlPath: string, command: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [serverMain, '--control', controlPath, '-rx', command], { maxBuffer: 1 << 30 }, (error) => {
      if (error) reject(error);
      else resolve(performance.now() - started);
    });
  });
}

async function emptyServerMemory(): Promise<ProcessMemory> {
  const confDir = useConfDir({ ...baseFiles, 'sip.conf': generalSection() });
  const { tandem } = await startServer(confDir);
  const memory = await idleMemory(tandem);
  await tandem.stop();
  confDir.remove();
  return memory;
}

async function benchSipConf(count: number, empty: ProcessMemory): Promise<void> {
  say(`\nsip.conf peers: ${count.toLocaleString('en')} (persistence on: WAL, synchronous=FULL, binding durable before the 200)`);
  const confDir = useConfDir({ ...baseFiles, 'sip.conf': sipConf(count) });
  try {
    let { tandem, startupMs } = await startServer(confDir);
    const configured = await idleMemory(tandem);
    say(`  start-up ${(startupMs / 1000).toFixed(1)} s; RSS ${mb(configured.rssKb)} with ${count} peers configured (empty server ${mb(empty.rssKb)})`);

    const registration = await registerAll(tandem, confDir, count);
    reportRegistration('REGISTER', registration);
    const registered = registration.load.succeeded;
    const afterLoad = processMemory(tandem.pid);
    say(`  RSS right after: ${mb(afterLoad.rssKb)} (peak ${mb(afterLoad.peakRssKb)}); +${kb((afterLoad.rssKb - configured.rssKb) / Math.max(registered, 1))} per registered peer`);
    if (settleSeconds > 0) {
      // Transactions live 32 s after their final response (Timer J); count what stays.
      await sleep(settleSeconds * 1000);
      const settled = processMemory(tandem.pid);
      say(
        `  RSS ${settleSeconds} s later: ${mb(settled.rssKb)}; per registered peer: +${kb((settled.rssKb - configured.rssKb) / Math.max(registered, 1))} for the registration, ` +
          `${kb((settled.rssKb - empty.rssKb) / Math.max(registered, 1))} with its configuration (whole server minus an empty one)`,
      );
    }

    const controlPath = join(confDir.path, 'ctl');
    const timings: number[] = [];
    let bytes = 0;
    for (let run = 0; run < 3; run++) {
      const timing = await timeCommand(controlPath, 'sip show peers');
      timings.push(timing.ms);
      bytes = timing.bytes;
      if (run === 0) say(`  sip show peers footer: ${timing.output.trimEnd().split('\n').at(-1) ?? ''}`);
    }
    say(`  sip show peers (control socket): ${timings.map((ms) => `${ms.toFixed(0)} ms`).join(', ')} for ${mb(bytes / 1024)} of text; with 'tandem -rx': ${(await timeRx(controlPath, 'sip show peers')).toFixed(0)} ms`);

    const stopStarted = performance.now();
    const code = await tandem.stop();
    say(`  SIGTERM: exited ${String(code)} after ${(performance.now() - stopStarted).toFixed(0)} ms`);
    ({ tandem, startupMs } = await startServer(confDir));
    const restored = /restored (\d+) registration/.exec(tandem.output())?.[1] ?? '0';
    const afterRestart = await idleMemory(tandem);
    say(`  restart: ready in ${(startupMs / 1000).toFixed(1)} s with ${restored} bindings restored; RSS ${mb(afterRestart.rssKb)}`);
    await tandem.stop();
  } finally {
    confDir.remove();
  }
}

async function benchRealtime(backend: RealtimeBackendName, count: number): Promise<void> {
  say(`\nrealtime peers on ${backend}: ${count.toLocaleString('en')} (rtcachefriends=no: every REGISTER reads the row; rtupdate=yes: the 200 waits for the UPDATE)`);
  const confDir = useConfDir({ ...baseFiles, 'sip.conf': generalSection() });
  const opening = await openRealtimeDatabase(backend, { dir: confDir.path });
  if ('unavailable' in opening) {
    say(`  skipped: ${opening.unavailable}`);
    confDir.remove();
    return;
  }
  const database = opening.database;
  try {
    const rows = Array.from({ length: count }, (_, index) => ({ name: peerName(index), secret: peerSecret(index), host: 'dynamic', type: 'friend', context: 'phones' }));
    await database.insert(rows);
    for (const [name, content] of Object.entries(database.configFiles())) confDir.write(name, content);
    const { tandem } = await startServer(confDir);
    const registration = await registerAll(tandem, confDir, count);
    reportRegistration('REGISTER', registration);
    say(`  rows holding a binding afterwards: ${await database.countSet('ipaddr')} of ${count}`);
    await tandem.stop();
  } finally {
    await database[Symbol.asyncDispose]();
    confDir.remove();
  }
}

async function main(): Promise<void> {
  say(`Tandem registration benchmark: server ${SERVER}:${SIP_PORT}, phones ${PHONES}:${PHONES_PORT}, sipp with ${concurrency} registrations in flight`);
  // Rates depend on what else runs; the server's CPU time per registration much less.
  say(`${cpus().length} CPUs, load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} at start`);
  const empty = await emptyServerMemory();
  for (const size of sizes) await benchSipConf(size, empty);
  if (realtimePeers > 0) for (const backend of backends) await benchRealtime(backend, realtimePeers);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
