import { pino, type Logger } from 'pino';

/** The server's logger: JSON lines on stdout; `-v` adds debug, `-vv` trace. */
export function createLogger(verbosity: number): Logger {
  const level = verbosity >= 2 ? 'trace' : verbosity === 1 ? 'debug' : 'info';
  return pino({ level, base: { pid: process.pid }, redact: ['secret', 'password', 'authorization'] });
}
