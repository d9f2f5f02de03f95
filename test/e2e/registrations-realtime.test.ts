/**
 * Realtime peers end to end, the same suite on SQLite, MariaDB/MySQL and PostgreSQL: a peer
 * that exists only as a `sippeers` row registers (the row records the binding, chan_sip's
 * rtupdate), is kept in memory with `rtcachefriends=yes` (`Cached RT`), is called by another
 * realtime peer, is forgotten by `sip prune realtime` and loaded again by the next call; while
 * the database is down REGISTERs are answered 503, and once it is back they succeed again.
 *
 * The servers are used at 127.0.0.1:3306 and :5432 (see `.ci/services`); outside CI a server
 * that cannot be reached skips its part with the reason printed, in CI it fails.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openRealtimeDatabase,
  runSipp,
  scenarioWith,
  startSipp,
  startTandem,
  useConfDir,
  type DatabaseOutage,
  type RealtimeBackendName,
  type RealtimeDatabase,
  type SippOptions,
  type TandemProcess,
} from '@tandem/test-support';

const SIP_PORT = 5162;
const PHONE_PORT = 5184;
const CALLER_PORT = 5185;

// Addresses 127.0.35.40-69 belong to this file: one block of ten per backend.
const addressBlocks: Record<RealtimeBackendName, number> = { sqlite3: 40, mysql: 50, pgsql: 60 };

const scenario = (name: string): string => fileURLToPath(new URL(`./scenarios/${name}`, import.meta.url));
const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Addresses {
  readonly server: string;
  readonly phone: string;
  readonly caller: string;
  readonly relay: string;
}

function addressesOf(backend: RealtimeBackendName): Addresses {
  const base = addressBlocks[backend];
  return { server: `127.0.35.${base}`, phone: `127.0.35.${base + 1}`, caller: `127.0.35.${base + 2}`, relay: `127.0.35.${base + 3}` };
}

function tandemFiles(addresses: Addresses, database: RealtimeDatabase): Record<string, string> {
  return {
    'sip.conf': `
[general]
; the relay is under test: Asterisk's default directmedia=yes would point the phones at each other
directmedia=no
bindaddr=${addresses.server}
bindport=${SIP_PORT}
allowguest=no
rtcachefriends=yes
`,
    'extensions.conf': `
[phones]
exten => rtphone,1,Dial(SIP/rtphone,10)
`,
    'rtp.conf': `
[general]
rtpstart=23600
rtpend=23640
`,
    ...database.configFiles(),
  };
}

const peerRows = [
  { name: 'rtphone', secret: 'rtphonepw' },
  { name: 'rtcaller', secret: 'rtcallerpw' },
  { name: 'rtlater', secret: 'rtlaterpw' },
] as const;

const backends: readonly RealtimeBackendName[] = ['sqlite3', 'mysql', 'pgsql'];

describe.each(backends)('realtime peers on %s', (backend) => {
  const addresses = addressesOf(backend);
  const confDir = useConfDir({});
  let database: RealtimeDatabase | undefined;
  let unavailable: string | undefined;
  let tandem: TandemProcess;

  /** sipp as peer `name` (its password from the table) at `address`:`port`. */
  const asPeer = (name: string, address: string, port: number, options: Omit<SippOptions, 'remote' | 'localAddress' | 'localPort'>): SippOptions => ({
    remote: `${addresses.server}:${SIP_PORT}`,
    localAddress: address,
    localPort: port,
    ...options,
    args: ['-au', name, '-ap', `${name}pw`, ...(options.args ?? [])],
  });

  const register = (name: string) => runSipp(asPeer(name, addresses.phone, PHONE_PORT, { scenario: scenario('register.xml'), args: ['-s', name] }));

  /** rtcaller calls rtphone; the phone's socket answers and logs who was called. */
  const callRtphone = async (): Promise<{ callerExit: number | null; calleeExit: number | null; calleeLogs: string; messages: string }> => {
    const callee = startSipp({
      scenario: scenario('uas-answer-log-ruri.xml'),
      remote: `${addresses.server}:${SIP_PORT}`,
      localAddress: addresses.phone,
      localPort: PHONE_PORT,
      args: ['-set', 'rtpport', '7300'],
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const caller = await runSipp(
      asPeer('rtcaller', addresses.caller, CALLER_PORT, {
        scenario: scenario('uac-call.xml'),
        args: ['-s', 'rtphone', '-set', 'caller', 'rtcaller', '-set', 'rtpport', '7302', '-d', '300'],
      }),
    );
    if (caller.exitCode !== 0) callee.kill();
    const calleeResult = await callee.done;
    return { callerExit: caller.exitCode, calleeExit: calleeResult.exitCode, calleeLogs: calleeResult.logs, messages: caller.messages + calleeResult.messages };
  };

  beforeAll(async () => {
    const opening = await openRealtimeDatabase(backend, { dir: confDir.path, relayAddress: addresses.relay });
    if ('unavailable' in opening) {
      unavailable = opening.unavailable;
      // Outside CI a missing server skips this backend (the reason is printed); in CI it fails.
      if (process.env['CI'] === undefined) console.log(`skipping the realtime suite on ${backend}: ${unavailable}`);
      return;
    }
    database = opening.database;
    await database.insert(peerRows.map((peer) => ({ name: peer.name, secret: peer.secret, host: 'dynamic', type: 'friend', context: 'phones', disallow: 'all', allow: 'ulaw' })));
    for (const [name, content] of Object.entries(tandemFiles(addresses, database))) confDir.write(name, content);
    tandem = await startTandem({ confDir, sipAddress: addresses.server, sipPort: SIP_PORT });
  });

  afterAll(async () => {
    await tandem?.stop();
    await database?.[Symbol.asyncDispose]();
    confDir.remove();
  });

  it(`reaches the ${backend} server`, ({ skip }) => {
    if (unavailable !== undefined && process.env['CI'] === undefined) skip(unavailable);
    expect(unavailable).toBeUndefined();
  });

  it('registers a realtime peer with digest auth and writes the binding to its row', async ({ skip }) => {
    if (database === undefined) return skip(unavailable);
    const before = Math.floor(Date.now() / 1000);
    const result = await register('rtphone');
    expect(result.exitCode, result.messages).toBe(0);
    const row = await database.row('rtphone');
    expect(row?.['ipaddr']).toBe(addresses.phone);
    expect(row?.['port']).toBe(String(PHONE_PORT));
    expect(row?.['fullcontact']).toBe(`sip:rtphone@${addresses.phone}:${PHONE_PORT}`);
    // regseconds: the absolute expiry (now + 3600 s).
    expect(Number(row?.['regseconds'])).toBeGreaterThanOrEqual(before + 3600);
    expect(Number(row?.['regseconds'])).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 3600);
  });

  it('keeps the registered peer in memory with rtcachefriends (Cached RT)', async ({ skip }) => {
    if (database === undefined) return skip(unavailable);
    const { output } = await tandem.rx('sip show peers');
    expect(output).toMatch(/^Name\/username\s.*\sDescription\s+Realtime$/m);
    expect(output).toMatch(new RegExp(`^rtphone/rtphone\\s+${escaped(addresses.phone)}\\s+D\\s.*\\s${PHONE_PORT}\\s+Unmonitored\\s+Cached RT$`, 'm'));
  });

  it('lets another realtime peer call it at its registered Contact', async ({ skip }) => {
    if (database === undefined) return skip(unavailable);
    const call = await callRtphone();
    expect(call.callerExit, call.messages).toBe(0);
    expect(call.calleeExit, call.messages).toBe(0);
    expect(call.calleeLogs).toContain('ruri=rtphone');
  });

  it('forgets it on sip prune realtime and loads it from the database for the next call', async ({ skip }) => {
    if (database === undefined) return skip(unavailable);
    expect((await tandem.rx('sip prune realtime peer rtphone')).output).toBe("Peer 'rtphone' pruned.\n");
    expect((await tandem.rx('sip show peers')).output).not.toMatch(/^rtphone\//m);
    expect((await tandem.rx('sip prune realtime peer rtphone')).output).toBe("Peer 'rtphone' not found.\n");

    const call = await callRtphone();
    expect(call.callerExit, call.messages).toBe(0);
    expect(call.calleeLogs).toContain('ruri=rtphone');
    // Loaded again (and cached again) with the binding its row holds.
    expect((await tandem.rx('sip show peers')).output).toMatch(new RegExp(`^rtphone/rtphone\\s+${escaped(addresses.phone)}\\s.*\\s${PHONE_PORT}\\s.*Cached RT$`, 'm'));
  });

  it('answers REGISTER 503 while the database is down, and registers again once it is back', async ({ skip }) => {
    if (database === undefined) return skip(unavailable);
    const outage: DatabaseOutage | undefined = database.outage;
    expect(outage, 'opened with a relay').toBeDefined();
    await outage?.takeDown();
    try {
      // A peer not in memory cannot be looked up: 503 to the first REGISTER.
      const lookup = await runSipp(asPeer('rtlater', addresses.phone, PHONE_PORT, { scenario: scenarioWith(scenario('register-expect-final.xml'), { EXPECTED_STATUS: '503' }), args: ['-s', 'rtlater'] }));
      expect(lookup.exitCode, lookup.messages).toBe(0);
      expect(lookup.logs).toContain('answered=first');
      // A cached peer is challenged and authenticated from memory, but its binding cannot be written: 503.
      const write = await runSipp(asPeer('rtcaller', addresses.caller, CALLER_PORT, { scenario: scenarioWith(scenario('register-expect-final.xml'), { EXPECTED_STATUS: '503' }), args: ['-s', 'rtcaller'] }));
      expect(write.exitCode, write.messages).toBe(0);
      expect(write.logs).toContain('answered=authenticated');
    } finally {
      await outage?.bringBack();
    }
    const result = await register('rtlater');
    expect(result.exitCode, result.messages).toBe(0);
    expect((await database.row('rtlater'))?.['ipaddr']).toBe(addresses.phone);
  });

  it('stops cleanly on SIGTERM, its database connections closed', async ({ skip }) => {
    if (database === undefined) return skip(unavailable);
    // An open connection would keep the process alive until the SIGKILL 10 s later (exit code null).
    expect(await tandem.stop()).toBe(0);
  });
});
