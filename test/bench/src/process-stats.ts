import { readFileSync } from 'node:fs';

/** Memory of a process (Linux /proc/<pid>/status), in kB. */
export interface ProcessMemory {
  /** Resident set size now. */
  readonly rssKb: number;
  /** Peak resident set size since the process started. */
  readonly peakRssKb: number;
}

/** Reads VmRSS and VmHWM of `pid`. */
export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: field('VmRSS'), peakRssKb: field('VmHWM') };
}

/** CPU time `pid` has used so far (user + system), in ms (Linux /proc/<pid>/stat). */
export function processCpuMs(pid: number): number {
  return cpuMsOf(`/proc/${pid}/stat`);
}

/** CPU time of `pid`'s main thread (the JavaScript thread), in ms: the rest is libuv and native threads. */
export function mainThreadCpuMs(pid: number): number {
  return cpuMsOf(`/proc/${pid}/task/${pid}/stat`);
}

/** utime + stime of a /proc stat file, in ms. */
function cpuMsOf(statPath: string): number {
  const stat = readFileSync(statPath, 'utf8');
  // Fields after the command name (which may hold spaces) start at state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

