import { formatDiagnostics } from '@tandem/config';
import { Pbx, PbxError, type ReloadResult } from '@tandem/pbx';
import type { Logger } from 'pino';
import type { ServerOptions } from './args.js';
import { serveControlSocket } from './control-server.js';
import { createLogger } from './logger.js';

/**
 * Runs the server until SIGTERM/SIGINT: starts the PBX on the config dir, serves the control
 * socket, reloads on SIGHUP (as `core reload`). Returns the exit code: 1 when the PBX cannot
 * start, with every configuration error printed as `file:line: error: message`.
 */
export async function serve(options: ServerOptions): Promise<number> {
  const logger = createLogger(options.verbosity);
  let pbx: Pbx;
  try {
    pbx = await Pbx.start({ configDir: options.configDir, dataDir: options.dataDir, logger });
  } catch (error) {
    if (error instanceof PbxError) {
      const what = error.code === 'invalid-config' ? `the configuration in ${options.configDir} has errors` : 'cannot start';
      process.stderr.write(`tandem: ${what}:\n${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const control = await serveControlSocket(options.controlPath, (command) => pbx.execute(command));
  logger.info({ configDir: options.configDir, control: options.controlPath }, 'Tandem ready');

  // Asterisk reloads every module on SIGHUP; so does `core reload`.
  const onHangupSignal = (): void => {
    pbx.reload('all').then(
      (result) => logReload(logger, result, 'SIGHUP'),
      (error: unknown) => logger.error({ err: error }, 'reload on SIGHUP failed'),
    );
  };
  process.on('SIGHUP', onHangupSignal);

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  process.off('SIGHUP', onHangupSignal);
  logger.info('shutting down');
  control.close();
  await pbx.stop();
  return 0;
}

/** Logs what a reload did: each warning and change, or each error that refused it. */
function logReload(logger: Logger, result: ReloadResult, trigger: string): void {
  if (!result.ok) {
    for (const line of formatDiagnostics(result.errors).split('\n')) logger.error(line);
    logger.error(`reload (${trigger}) refused; the running configuration stays`);
    return;
  }
  for (const line of formatDiagnostics(result.warnings).split('\n').filter(Boolean)) logger.warn(line);
  for (const change of result.changes) logger.info(change);
  for (const setting of result.awaitingRestart) logger.warn(`changed, applied at the next restart: ${setting}`);
  logger.info(`configuration reloaded (${trigger})`);
}
