import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { parseInvocation, UsageError } from '../src/args.js';

describe('the command line (CONTRACT.md)', () => {
  it('reads -rx "COMMAND" the way Asterisk users type it', () => {
    expect(parseInvocation(['--control', '/tmp/x.ctl', '-rx', 'sip show peers'])).toEqual({
      mode: 'remote',
      controlPath: '/tmp/x.ctl',
      command: 'sip show peers',
    });
  });

  it('serves with -C, --data-dir, --control and counted -v', () => {
    expect(parseInvocation(['-C', 'conf', '--data-dir', 'state', '-v', '-v'])).toEqual({
      mode: 'serve',
      options: { configDir: resolve('conf'), dataDir: resolve('state'), controlPath: join(resolve('state'), 'tandem.ctl'), verbosity: 2 },
    });
    expect(parseInvocation(['--config-dir=conf', '--control', 'c.sock'])).toMatchObject({ mode: 'serve', options: { controlPath: resolve('c.sock') } });
  });

  it('checks a configuration directory', () => {
    expect(parseInvocation(['--check-config', '-C', 'conf'])).toEqual({ mode: 'check-config', configDir: resolve('conf') });
  });

  it('refuses unknown options and a bare -r', () => {
    expect(() => parseInvocation(['--frobnicate'])).toThrow(UsageError);
    expect(() => parseInvocation(['-r'])).toThrow(UsageError);
    expect(() => parseInvocation(['stray'])).toThrow(UsageError);
  });
});
