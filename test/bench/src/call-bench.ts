#!/usr/bin/env node
/**
 * B2BUA call-rate benchmark of the BUILT server (apps/server/dist), driven by sipp over
 * loopback: sipp (uac) -> Tandem (dialplan Dial, a relay endpoint pair per call) -> sipp (uas).
 * For each holding time it raises the call rate step by step and prints, per step, the calls
 * attempted and failed, the server's CPU per call, and file descriptors per call in progress;
 * the best rate with fewer than 0.1 % failed calls is the figure. Prints, asserts nothing.
 *
 * Run: pnpm -F @tandem/bench bench:calls [-- --hold 1,10 --rates 100,200,300 --seconds 20]
 * `--cpu-prof DIR` writes the server's V8 CPU profile (a .cpuprofile per run) into DIR.
 * `--heap-snapshot DIR` also prints the live heap each step leaves behind per call, from heap
 * snapshots (in DIR, deleted once read) before the step and 2 s after its last call: ended
 * calls are still kept then (32 s, chan_sip's sip_scheddestroy()), so this is their cost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startTandem, useConfDir, type TandemProcess } from '@tandem/test-support';
import { liveHeapBytes } from './heap-snapshot.js';
import { mainThreadCpuMs, processCpuMs, processMemory } from './process-stats.js';

// Loopback block 127.0.38.x, never port 5060.
const SERVER = '127.0.38.1';
const CALLER = '127.0.38.2';
const CALLEE = '127.0.38.3';
const SIP_PORT = 5164;
const PHONE_PORT = 5264;

const { values: options } = parseArgs({
  // pnpm passes the `--` of `bench:calls -- --hold 1` through.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    'cpu-prof': { type: 'string' },
    'heap-snapshot': { type: 'string' },
    hold: { type: 'string', default: '1,10' },
    rates: { type: 'string', default: '100,200,300,400,500,600,750,900' },
    seconds: { type: 'string', default: '20' },
  },
});
const holds = options.hold.split(',').map(Number).filter((value) => value > 0);
const rates = options.rates.split(',').map(Number).filter((value) => value > 0);
const stepSeconds = Number(options.seconds);
const heapDir = options['heap-snapshot'];

const files = {
  'sip.conf': `
[general]
; the relay is under test: Asterisk's default directmedia=yes would point the phones at each other
directmedia=no
bindaddr=${SERVER}
bindport=${SIP_PORT}
allowguest=no

[caller]
type=peer
host=${CALLER}
port=${PHONE_PORT}
insecure=invite,port
context=bench
disallow=all
allow=ulaw
; The relay is what is measured: no re-INVITE to direct media (chan_sip's default is yes).
directmedia=no

[callee]
type=peer
host=${CALLEE}
port=${PHONE_PORT}
disallow=all
allow=ulaw
directmedia=no
`,
  'extensions.conf': `
[bench]
exten => _X.,1,Dial(SIP/callee/\${EXTEN})
`,
  'rtp.conf': `
[general]
rtpstart=20000
rtpend=59999
`,
};

/** One sipp process; resolves with the counts of its last statistics screen. */
function sipp(args: readonly string[]): { child: ChildProcess; done: Promise<{ ok: number; failed: number; code: number | null }> } {
  const child = spawn('sipp', [...args, '-nostdin', '-skip_rlimit'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let screen = '';
  const keep = (chunk: Buffer): void => {
    screen = (screen + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const count = (label: string): number => Number([...screen.matchAll(new RegExp(`${label}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`, 'g'))].at(-1)?.[1] ?? 0);
  const done = new Promise<{ ok: number; failed: number; code: number | null }>((resolve) => {
    child.once('exit', (code) => resolve({ ok: count('Successful call'), failed: count('Failed call'), code }));
  });
  return { child, done };
}

const openDescriptors = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

interface Step {
  readonly rate: number;
  readonly attempted: number;
  readonly failed: number;
  readonly cpuMsPerCall: number;
  /** The part spent on the JavaScript thread (the rest: relay workers, libuv). */
  readonly jsCpuMsPerCall: number;
  readonly fdsPerCall: number;
  readonly peakCalls: number;
}

/** Runs `rate` calls/s for `stepSeconds`, each held `holdSeconds`. */
async function step(tandem: TandemProcess, rate: number, holdSeconds: number): Promise<Step> {
  const calls = rate * stepSeconds;
  const expectedConcurrent = rate * holdSeconds;
  const limit = String(Math.ceil(expectedConcurrent * 1.5) + 50);
  const callee = sipp(['-sn', 'uas', '-i', CALLEE, '-p', String(PHONE_PORT), '-l', limit]);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const heapBefore = heapDir === undefined ? 0 : await liveHeapBytes(() => tandem.signal('SIGUSR2'), heapDir);
  const idleFds = openDescriptors(tandem.pid);
  const cpuBefore = processCpuMs(tandem.pid);
  const jsCpuBefore = mainThreadCpuMs(tandem.pid);
  const caller = sipp([
    `${SERVER}:${SIP_PORT}`,
    '-sn', 'uac',
    '-s', '1000',
    '-i', CALLER,
    '-p', String(PHONE_PORT),
    '-r', String(rate),
    '-m', String(calls),
    '-l', limit,
    '-d', String(holdSeconds * 1000),
    '-timeout', `${stepSeconds + holdSeconds + 40}s`,
  ]);
  // Sample descriptors and calls in progress in the middle of the steady state.
  let fdsPerCall = Number.NaN;
  let peakCalls = 0;
  const sampler = setInterval(() => {
    void tandem.rx('core show channels count').then(({ output }) => {
      const active = Number(/(\d+) active call/.exec(output)?.[1] ?? 0);
      if (active > peakCalls) {
        peakCalls = active;
        fdsPerCall = (openDescriptors(tandem.pid) - idleFds) / active;
      }
    });
  }, 1000);
  // sipp's -timeout did not end a uac left with a call that never completes (a 200 OK lost
  // under overload leaves the call ringing: there is no Timer C, as in chan_sip): stop it.
  const guard = setTimeout(() => caller.child.kill('SIGTERM'), (stepSeconds + holdSeconds + 60) * 1000);
  const result = await caller.done;
  clearTimeout(guard);
  clearInterval(sampler);
  const cpuMs = processCpuMs(tandem.pid) - cpuBefore;
  const jsCpuMs = mainThreadCpuMs(tandem.pid) - jsCpuBefore;
  callee.child.kill('SIGTERM');
  await callee.done;
  // Let the last calls' dialogs and relays go before the next step.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const attempted = result.ok + result.failed;
  if (heapDir !== undefined) {
    const heapAfter = await liveHeapBytes(() => tandem.signal('SIGUSR2'), heapDir);
    console.log(`  live heap ${(heapBefore / 1048576).toFixed(1)} MiB before, ${(heapAfter / 1048576).toFixed(1)} MiB after ${attempted} ended calls: ${((heapAfter - heapBefore) / 1024 / Math.max(1, attempted)).toFixed(1)} KiB per ended call`);
  }
  return { rate, attempted, failed: result.failed + (calls - attempted), cpuMsPerCall: cpuMs / Math.max(1, attempted), jsCpuMsPerCall: jsCpuMs / Math.max(1, attempted), fdsPerCall, peakCalls };
}

async function main(): Promise<void> {
  console.log(`call-rate benchmark: ${cpus().length} cores, load average ${loadavg().map((value) => value.toFixed(1)).join(' ')}`);
  console.log(`steps of ${stepSeconds} s; a step passes with < 0.1 % failed calls`);
  await using confDir = useConfDir(files);
  const profileDir = options['cpu-prof'];
  const nodeArgs = [...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), ...(heapDir ? ['--heapsnapshot-signal=SIGUSR2', '--diagnostic-dir', heapDir] : [])];
  const tandem = await startTandem({ confDir, sipAddress: SERVER, sipPort: SIP_PORT, nodeArgs });
  try {
    for (const hold of holds) {
      console.log(`\nholding time ${hold} s`);
      console.log('  rate/s  attempted  failed   fail%  server-CPU/call  (JS thread)  fds/call  peak-calls');
      let best: Step | undefined;
      for (const rate of rates) {
        const result = await step(tandem, rate, hold);
        const failPercent = (100 * result.failed) / Math.max(1, result.attempted);
        console.log(
          `  ${String(rate).padStart(6)}  ${String(result.attempted).padStart(9)}  ${String(result.failed).padStart(6)}  ${failPercent.toFixed(2).padStart(6)}  ${result.cpuMsPerCall.toFixed(3).padStart(11)} ms  ${result.jsCpuMsPerCall.toFixed(3).padStart(8)} ms  ${result.fdsPerCall.toFixed(1).padStart(8)}  ${String(result.peakCalls).padStart(10)}`,
        );
        if (failPercent < 0.1) best = result;
        else break;
      }
      const rss = (processMemory(tandem.pid).rssKb / 1024).toFixed(0);
      console.log(
        best
          ? `SUMMARY hold ${hold} s: ${best.rate} calls/s with < 0.1 % failed; ${best.cpuMsPerCall.toFixed(3)} ms server CPU/call (${best.jsCpuMsPerCall.toFixed(3)} ms JS thread), ${best.fdsPerCall.toFixed(1)} fds/call, RSS ${rss} MiB`
          : `SUMMARY hold ${hold} s: no rate passed with < 0.1 % failed`,
      );
    }
  } finally {
    await tandem.stop();
  }
}

await main();
