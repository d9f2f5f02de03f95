import { describe, expect, it } from 'vitest';
import { CliRegistry, cliOk, tokenizeCommandLine } from '../src/cli/cli-registry.js';

describe('the operator CLI', () => {
  it('splits words and keeps quoted text together', () => {
    expect(tokenizeCommandLine('database put fam key "two words"')).toEqual(['database', 'put', 'fam', 'key', 'two words']);
    expect(tokenizeCommandLine('  sip   show peers ')).toEqual(['sip', 'show', 'peers']);
    expect(tokenizeCommandLine('database put a b ""')).toEqual(['database', 'put', 'a', 'b', '']);
  });

  it('runs the longest matching command with the remaining words', async () => {
    const cli = new CliRegistry();
    cli.register({ words: ['sip', 'show', 'peer'], usage: '', summary: '', handler: (args) => cliOk(`peer ${args.join(',')}`) });
    cli.register({ words: ['sip', 'show', 'peers'], usage: '', summary: '', handler: (args) => cliOk(`peers ${args.join(',')}`) });
    expect((await cli.execute('sip show peers like a')).output).toBe('peers like,a\n');
    expect((await cli.execute('SIP show peer alice')).output).toBe('peer alice\n');
  });

  it('fails an unknown command with Asterisk wording', async () => {
    const result = await new CliRegistry().execute('frobnicate now');
    expect(result.ok).toBe(false);
    expect(result.output).toBe("No such command 'frobnicate now' (type 'core show help frobnicate now' for other possible commands)\n");
  });
});
