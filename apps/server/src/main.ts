#!/usr/bin/env node
/**
 * The tandem executable (see ../../docs/architecture.md and the README for the options).
 */
import { parseInvocation, usage, UsageError } from './args.js';
import { runRemoteCommand } from './control-client.js';

// The server and the config checker load every package: `-rx` does not need them, so they are
// imported only by the modes that run them (a CLI command then starts in tens of ms).

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
    case 'check-config': {
      const { checkConfig } = await import('./check-config.js');
      return checkConfig(invocation.configDir);
    }
    case 'serve': {
      const { serve } = await import('./serve.js');
      return serve(invocation.options);
    }
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
