/**
 * The executable's answers to bad configuration, run as a user runs it: `tandem --check-config
 * -C DIR` prints every warning and error and exits non-zero on errors; a server started on a
 * broken directory, or on an address it cannot bind, exits non-zero naming file and line;
 * `-rx` reports a missing server or an unknown command with a non-zero exit; a second server
 * does not take over a running one's control socket (block 127.0.34.21-22).
 */
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverMain, startTandem, useConfDir } from '@tandem/test-support';

const SERVER = '127.0.34.21';
const SECOND = '127.0.34.22';
const SIP_PORT = 5160;

/** What one run of the executable printed and how it exited. */
interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node apps/server/dist/main.js ARGS`; a server that does not exit within 20 s is killed. */
function tandem(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [serverMain, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

const goodSip = `
[general]
bindaddr=${SERVER}
bindport=${SIP_PORT}
ignoresdpversion=yes
frobnicate=1

[alice]
type=friend
host=dynamic
secret=pw
`;

const goodExtensions = `
[default]
exten => 100,1,Answer()
`;

describe('tandem --check-config', () => {
  it('prints every warning with file and line and exits 0 when there is no error', async () => {
    await using dir = useConfDir({ 'sip.conf': goodSip, 'extensions.conf': goodExtensions });
    const run = await tandem(['--check-config', '-C', dir.path]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toContain("sip.conf:6:1: warning: unknown option 'frobnicate' in [general] of sip.conf, ignored");
    expect(lines.some((line) => /^sip\.conf:5:1: warning: options parsed but not acted on by Tandem yet: ignoresdpversion \(sip\.conf:5\)/.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(new RegExp(`^${dir.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 0 error\\(s\\), \\d+ warning\\(s\\)$`));
  });

  it('prints every error of every file, includes and the dialplan compiler included, and exits 1', async () => {
    await using dir = useConfDir({
      'sip.conf': `${goodSip}\n#include peers.conf\n`,
      'peers.conf': '[bob]\ntype=friend\nhost=dynamic\nqualify=often\n',
      'extensions.conf': `${goodExtensions}\n[broken]\nsame => n,NoOp()\n`,
      'rtp.conf': '[general]\nrtpstart=20000\nrtpend=10000\n',
    });
    const run = await tandem(['--check-config', '-C', dir.path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("peers.conf:4:1: error: invalid value 'often' for 'qualify': expected 'yes', 'no', or a number of milliseconds");
    expect(run.stdout).toMatch(/^extensions\.conf:6: error: No previous pattern in the first entry of context 'broken'/m);
    expect(run.stdout).toMatch(/^rtp\.conf:1:1: error: rtpstart \(20000\) must be below rtpend \(10000\)$/m);
    expect(run.stdout).toMatch(/: 3 error\(s\), \d+ warning\(s\)\n$/);
  });

  it('exits 1 for a directory that does not exist', async () => {
    await using dir = useConfDir({});
    const missing = join(dir.path, 'nowhere');
    const run = await tandem(['--check-config', '-C', missing]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${missing}: error: the configuration directory does not exist or is not a directory`);
  });
});

describe('start-up errors', () => {
  it('refuses to start on a configuration with errors, naming each file and line', async () => {
    await using dir = useConfDir({ 'sip.conf': `${goodSip}\n[carol]\ntype=robot\n`, 'extensions.conf': goodExtensions });
    const run = await tandem(['-C', dir.path, '--data-dir', join(dir.path, 'data'), '--control', join(dir.path, 'ctl')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`tandem: the configuration in ${dir.path} has errors:`);
    expect(run.stderr).toContain("sip.conf:14:1: error: unknown type 'robot' for 'carol' in sip.conf (expected peer, user or friend)");
  });

  it('refuses to start when the SIP address is taken, naming the bindaddr line', async () => {
    const squatter = createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(SIP_PORT, SERVER, () => resolve()));
    try {
      await using dir = useConfDir({ 'sip.conf': goodSip, 'extensions.conf': goodExtensions });
      const run = await tandem(['-C', dir.path, '--data-dir', join(dir.path, 'data'), '--control', join(dir.path, 'ctl')]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('tandem: cannot start:');
      expect(run.stderr).toContain(`sip.conf:3: error: cannot listen on udp ${SERVER}:${SIP_PORT}: bind EADDRINUSE ${SERVER}:${SIP_PORT}`);
    } finally {
      squatter.close();
    }
  });

  it('refuses to start on an address this machine does not have', async () => {
    await using dir = useConfDir({ 'sip.conf': goodSip.replace(`bindaddr=${SERVER}`, 'bindaddr=192.0.2.1'), 'extensions.conf': goodExtensions });
    const run = await tandem(['-C', dir.path, '--data-dir', join(dir.path, 'data'), '--control', join(dir.path, 'ctl')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`sip.conf:3: error: cannot listen on udp 192.0.2.1:${SIP_PORT}: bind EADDRNOTAVAIL`);
  });
});

describe('a second server', () => {
  it('refuses to take over the control socket of a running server, and the first one keeps serving', async () => {
    await using first = await startTandem({ files: { 'sip.conf': goodSip, 'extensions.conf': goodExtensions }, sipAddress: SERVER, sipPort: SIP_PORT });
    await using dir = useConfDir({ 'sip.conf': goodSip.replace(`bindaddr=${SERVER}`, `bindaddr=${SECOND}`), 'extensions.conf': goodExtensions });
    const run = await tandem(['-C', dir.path, '--data-dir', join(dir.path, 'data'), '--control', join(first.confDir.path, 'ctl')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`tandem: cannot start: another Tandem is running with the control socket ${join(first.confDir.path, 'ctl')}`);
    const peers = await first.rx('sip show peers');
    expect(peers.code).toBe(0);
    expect(peers.output).toContain('1 sip peers');
  });
});

describe('tandem -rx', () => {
  it('fails with a clear message when no server listens on the control socket', async () => {
    await using dir = useConfDir({});
    const run = await tandem(['--control', join(dir.path, 'ctl'), '-rx', 'sip show peers']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`tandem: cannot reach the server at ${join(dir.path, 'ctl')}`);
  });

  it('rejects a command line it cannot parse with usage and exit 2', async () => {
    const run = await tandem(['-r']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('-r needs -x "COMMAND"');
  });
});
