import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkConfigDir } from '../src/reload/config-check.js';
import { configAfterReload, diagnosticsInScope, settingsAwaitingRestart } from '../src/reload/reload-scope.js';

describe('what each reload scope reads and applies', () => {
  const dirs: string[] = [];
  const checked = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-scope-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return checkConfigDir(dir);
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const brokenEverywhere = {
    'sip.conf': '[general]\nbindport=0\n',
    'extensions.conf': '[default]\nsame => n,NoOp()\n',
    'acl.conf': '[office]\npermit=not-a-network\n',
    'rtp.conf': '[general]\nrtpstart=20000\nrtpend=10000\n',
  };

  it('judges sip reload on sip.conf and acl.conf, dialplan reload on extensions.conf, core reload on everything', () => {
    const result = checked(brokenEverywhere);
    const files = (scope: 'sip' | 'dialplan' | 'all') => [...new Set(diagnosticsInScope(result, scope).filter((item) => item.severity === 'error').map((item) => item.file))];
    expect(files('sip')).toEqual(['sip.conf', 'acl.conf']);
    expect(files('dialplan')).toEqual(['extensions.conf']);
    expect(files('all').sort()).toEqual(['acl.conf', 'extensions.conf', 'rtp.conf', 'sip.conf']);
  });

  it('takes the new models of the scope and keeps what only a restart changes', () => {
    const running = checked({ 'sip.conf': '[general]\nuseragent=Old\n', 'extensions.conf': '[a]\nexten => 1,1,NoOp()\n', 'rtp.conf': '[general]\nrtpstart=10000\nrtpend=10100\n' }).config;
    const loaded = checked({
      'sip.conf': '[general]\nuseragent=New\n',
      'extensions.conf': '[b]\nexten => 2,1,NoOp()\n',
      'rtp.conf': '[general]\nrtpstart=12000\nrtpend=12100\n',
      'tandem.conf': '[general]\ndnsservers=127.0.0.53\n[security]\nauthfailurelimit=5\n',
    }).config;

    const sip = configAfterReload(running, loaded, 'sip');
    expect(sip.sip.general.useragent).toBe('New');
    expect(sip.extensions.contexts.map((context) => context.name)).toEqual(['a']);
    const dialplan = configAfterReload(running, loaded, 'dialplan');
    expect(dialplan.sip.general.useragent).toBe('Old');
    expect(dialplan.extensions.contexts.map((context) => context.name)).toEqual(['b']);
    const all = configAfterReload(running, loaded, 'all');
    expect(all.sip.general.useragent).toBe('New');
    expect(all.tandem.security.authFailureLimit).toBe(5);
    expect([all.rtp.rtpStart, all.rtp.rtpEnd]).toEqual([10000, 10100]);
    expect(all.tandem.dnsServers).toEqual([]);

    expect(settingsAwaitingRestart(running, loaded, 'sip')).toEqual([]);
    expect(settingsAwaitingRestart(running, loaded, 'all')).toEqual(['rtp.conf rtpstart/rtpend (10000-10100 in use, 12000-12100 configured)', 'tandem.conf dnsservers']);
  });
});
