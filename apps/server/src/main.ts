#!/usr/bin/env node
/**
 * The tandem executable (see ../../docs/architecture.md and the README for the options).
 */
import { parseInvocation, usage, UsageError } from './args.js';
import { runRemoteCommand } from './control-client.js';
import { checkConfig } from './check-config.js';
import { serve } from './serve.js';

async function main(argv: readonly string[]): Promise<number> {
  const invocation = parseInvocation(argv);
  switch (invocation.mode) {
    case 'help':
      process.stdout.write(usage + '\n');
      return 0;
    case 'remote': {
      const reply = await runRemoteCommand(invocation.controlPath, invocation.command);
      process.stdout.write(reply.output);
      return reply.ok ? 0 : 1;
    }
    case 'check-config':
      return checkConfig(invocation.configDir);
    case 'serve':
      return serve(invocation.options);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`tandem: ${error.message}\n${usage}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`tandem: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
