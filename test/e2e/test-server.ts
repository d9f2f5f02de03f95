/**
 * The boilerplate every end-to-end test file shares around its own sip.conf: where its server
 * listens, the `[general]` lines that bind it there, an rtp.conf port range, the sipp scenarios
 * and who runs them, and a Tandem started before the file's tests and stopped after them.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { startTandem, type SippOptions, type TandemProcess } from '@tandem/test-support';

/** Path of a scenario in ./scenarios. */
export const scenario = (name: string): string => fileURLToPath(new URL(`./scenarios/${name}`, import.meta.url));

/** The port a test file's server listens on for SIP: every file has addresses of its own, so all can share it. */
export const SIP_PORT = 5160;

/** The SIP port a test file's phones and other parties bind (on their own addresses). */
export const PHONE_PORT = 5162;

/** Where a test file's server listens for SIP (its own 127.x address). */
export interface ServerAddress {
  readonly server: string;
  readonly sipPort: number;
}

/**
 * The head of a sip.conf `[general]` section binding `net`'s address and port, with
 * directmedia=no; the test's own `[general]` lines follow it.
 */
export function sipGeneral(net: ServerAddress): string {
  return `[general]
; the relay is under test: Asterisk's default directmedia=yes would point the phones at each other
directmedia=no
bindaddr=${net.server}
bindport=${net.sipPort}`;
}

/** What a sipp run needs besides where it talks from and to. */
export type PartyOptions = Omit<SippOptions, 'remote' | 'localAddress' | 'localPort'>;

/** sipp options for a party at `address:port` talking to `net`'s server. */
export function sippAt(net: ServerAddress, address: string, port: number, options: PartyOptions): SippOptions {
  return { remote: `${net.server}:${net.sipPort}`, localAddress: address, localPort: port, ...options };
}

/** An rtp.conf with a port range of its own for one test file (`end` defaults to `start` + 100). */
export function rtpConf(start: number, end = start + 100): string {
  return `[general]\nrtpstart=${start}\nrtpend=${end}\n`;
}

/**
 * Starts a Tandem on `files` before the tests of the enclosing describe() and stops it after
 * them; the returned function gives the running server.
 */
export function useTandem(files: Record<string, string>, net: ServerAddress): () => TandemProcess {
  let tandem: TandemProcess | undefined;
  beforeAll(async () => {
    tandem = await startTandem({ files, sipAddress: net.server, sipPort: net.sipPort });
  });
  afterAll(async () => {
    await tandem?.[Symbol.asyncDispose]();
  });
  return () => {
    if (tandem === undefined) throw new Error('the Tandem of this test file did not start');
    return tandem;
  };
}
