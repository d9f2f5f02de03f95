import type { Diagnostic, TandemConfig } from '@tandem/config';
import type { CheckedConfig } from './config-check.js';

/** What a reload covers: `sip reload`, `dialplan reload`, or `core reload`/SIGHUP (everything). */
export type ReloadScope = 'sip' | 'dialplan' | 'all';

/**
 * The files each scope reads, besides asterisk.conf and the directory itself (they decide how
 * every file is read). chan_sip's reload_config() reads sip.conf (named ACLs are looked up at
 * run time, so acl.conf goes with it); pbx_config's reload reads extensions.conf only.
 */
const FILES_OF_SCOPE: Readonly<Record<Exclude<ReloadScope, 'all'>, readonly string[]>> = {
  sip: ['sip.conf', 'acl.conf'],
  dialplan: ['extensions.conf'],
};

/** The diagnostics that concern a scope: a `sip reload` is not refused for a broken extensions.conf. */
export function diagnosticsInScope(checked: CheckedConfig, scope: ReloadScope): Diagnostic[] {
  if (scope === 'all') return [...checked.diagnostics];
  const files = ['', 'asterisk.conf', ...FILES_OF_SCOPE[scope]];
  return files.flatMap((file) => checked.diagnosticsByFile.get(file) ?? []);
}

/**
 * The configuration in force after a reload of `scope`: the new models of the files the scope
 * reads, the running ones for the rest. Settings that only a restart applies keep their
 * running values (see {@link settingsAwaitingRestart}), so `Pbx.config` tells what is in force.
 */
export function configAfterReload(running: TandemConfig, loaded: TandemConfig, scope: ReloadScope): TandemConfig {
  switch (scope) {
    case 'sip':
      return { ...running, sip: loaded.sip, sipDocument: loaded.sipDocument, acl: loaded.acl };
    case 'dialplan':
      return { ...running, extensions: loaded.extensions };
    case 'all':
      return {
        ...loaded,
        asterisk: running.asterisk,
        rtp: { ...loaded.rtp, rtpStart: running.rtp.rtpStart, rtpEnd: running.rtp.rtpEnd },
        tandem: { ...loaded.tandem, dnsServers: running.tandem.dnsServers, media: running.tandem.media, ...soundsDirOf(running) },
        extconfig: running.extconfig,
        resConfigMysql: running.resConfigMysql,
        resPgsql: running.resPgsql,
        resConfigSqlite3: running.resConfigSqlite3,
      };
  }
}

function soundsDirOf(config: TandemConfig): { soundsDir?: string } {
  return config.tandem.soundsDir === undefined ? {} : { soundsDir: config.tandem.soundsDir };
}

/**
 * Settings the running server cannot change in place (the media engine's port range and
 * threads, the DNS resolver, the realtime connections): changed ones are named so the
 * operator knows a restart is needed. Only `core reload` reads these files.
 */
export function settingsAwaitingRestart(running: TandemConfig, loaded: TandemConfig, scope: ReloadScope): string[] {
  if (scope !== 'all') return [];
  const pending: string[] = [];
  const differs = (a: unknown, b: unknown): boolean => JSON.stringify(a) !== JSON.stringify(b);
  if (running.rtp.rtpStart !== loaded.rtp.rtpStart || running.rtp.rtpEnd !== loaded.rtp.rtpEnd) {
    pending.push(`rtp.conf rtpstart/rtpend (${running.rtp.rtpStart}-${running.rtp.rtpEnd} in use, ${loaded.rtp.rtpStart}-${loaded.rtp.rtpEnd} configured)`);
  }
  if (differs(running.tandem.dnsServers, loaded.tandem.dnsServers)) pending.push('tandem.conf dnsservers');
  if (running.tandem.media.threads !== loaded.tandem.media.threads) pending.push('tandem.conf [media] threads');
  if (running.tandem.soundsDir !== loaded.tandem.soundsDir) pending.push('tandem.conf soundsdir');
  const realtimeFiles: [string, unknown, unknown][] = [
    ['extconfig.conf', running.extconfig, loaded.extconfig],
    ['res_config_mysql.conf', running.resConfigMysql, loaded.resConfigMysql],
    ['res_pgsql.conf', running.resPgsql, loaded.resPgsql],
    ['res_config_sqlite3.conf', running.resConfigSqlite3, loaded.resConfigSqlite3],
  ];
  for (const [file, before, after] of realtimeFiles) if (differs(before, after)) pending.push(`${file} (realtime connections)`);
  if (running.asterisk.systemName !== loaded.asterisk.systemName) pending.push('asterisk.conf systemname (dialplan ${SYSTEMNAME})');
  return pending;
}
