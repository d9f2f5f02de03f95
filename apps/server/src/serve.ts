import { Pbx, PbxError } from '@tandem/pbx';
import type { ServerOptions } from './args.js';
import { serveControlSocket } from './control-server.js';
import { createLogger } from './logger.js';

/**
 * Runs the server until SIGTERM/SIGINT: starts the PBX on the config dir, serves the control
 * socket, reloads on SIGHUP. Returns the exit code.
 */
export async function serve(options: ServerOptions): Promise<number> {
  const logger = createLogger(options.verbosity);
  let pbx: Pbx;
  try {
    pbx = await Pbx.start({ configDir: options.configDir, dataDir: options.dataDir, logger });
  } catch (error) {
    if (error instanceof PbxError && error.code === 'invalid-config') {
      process.stderr.write(`tandem: the configuration in ${options.configDir} has errors:\n${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const control = await serveControlSocket(options.controlPath, (command) => pbx.execute(command));
  logger.info({ configDir: options.configDir, control: options.controlPath }, 'Tandem ready');

  process.on('SIGHUP', () => {
    const result = pbx.reload('all');
    if (result.ok) logger.info('configuration reloaded (SIGHUP)');
    else logger.error({ errors: result.errors.map((item) => `${item.file}:${item.line}: ${item.message}`) }, 'reload refused; the running configuration stays');
  });

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  logger.info('shutting down');
  control.close();
  await pbx.stop();
  return 0;
}
