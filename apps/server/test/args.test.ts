import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInvocation, UsageError } from '../src/index.js';

describe('the command line', () => {
  it('reads -rx "COMMAND" as Asterisk users type it', () => {
    expect(parseInvocation(['--control', '/tmp/t.ctl', '-rx', 'sip reload'])).toEqual({ mode: 'remote', controlPath: '/tmp/t.ctl', command: 'sip reload' });
  });

  it('selects --check-config with the config dir', () => {
    expect(parseInvocation(['--check-config', '-C', 'conf'])).toEqual({ mode: 'check-config', configDir: resolve('conf') });
  });

  it('serves by default, with the control socket in the data dir', () => {
    expect(parseInvocation(['-C', '/etc/tandem', '--data-dir', '/var/tandem', '-v', '-v'])).toEqual({
      mode: 'serve',
      options: { configDir: '/etc/tandem', dataDir: '/var/tandem', controlPath: '/var/tandem/tandem.ctl', verbosity: 2 },
    });
  });

  it('refuses what it cannot understand with a UsageError', () => {
    expect(() => parseInvocation(['-r'])).toThrow(UsageError);
    expect(() => parseInvocation(['--frobnicate'])).toThrow(UsageError);
    expect(() => parseInvocation(['stray'])).toThrow(UsageError);
  });
});
