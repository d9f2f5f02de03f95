import { formatDiagnostics } from '@tandem/config';
import { Pbx, PbxError, type ReloadResult } from '@tandem/pbx';
import type { Server } from 'node:net';
import type { Logger } from 'pino';
import type { ServerOptions } from './args.js';
import { serveControlSocket } from './control-server.js';
import { createLogger } from './logger.js';

/**
 * Runs the server until SIGTERM/SIGINT: starts the PBX on the config dir, serves the control
 * socket, reloads on SIGHUP (as `core reload`: Asterisk reloads every module on SIGHUP).
 * Returns the exit code: 1 when the PBX cannot start, with every configuration error printed
 * as `file:line: error: message`, or when another server answers on the control socket.
 */
export async function serve(options: ServerOptions): Promise<number> {
  const logger = createLogger(options.verbosity);
  let pbx: Pbx | undefined;
  // Installed first: a SIGHUP during start-up must not end the process (Node's default).
  const onHangupSignal = (): void => {
    if (pbx === undefined) {
      logger.warn('SIGHUP during start-up ignored: the configuration is being loaded');
      return;
    }
    pbx.reload('all').then(
      (result) => logReload(logger, result, 'SIGHUP'),
      (error: unknown) => logger.error({ err: error }, 'reload on SIGHUP failed'),
    );
  };
  process.on('SIGHUP', onHangupSignal);
  try {
    pbx = await Pbx.start({ configDir: options.configDir, dataDir: options.dataDir, logger });
  } catch (error) {
    if (error instanceof PbxError) {
      const what = error.code === 'invalid-config' ? `the configuration in ${options.configDir} has errors` : 'cannot start';
      process.stderr.write(`tandem: ${what}:\n${error.message}\n`);
      process.off('SIGHUP', onHangupSignal);
      return 1;
    }
    throw error;
  }
  const running = pbx;
  let control: Server;
  try {
    control = await serveControlSocket(
      options.controlPath,
      (command) => running.execute(command),
      (error) => logger.warn({ err: error }, 'control socket: a connection could not be accepted'),
    );
  } catch (error) {
    process.stderr.write(`tandem: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.off('SIGHUP', onHangupSignal);
    await running.stop();
    return 1;
  }
  logger.info({ configDir: options.configDir, control: options.controlPath }, 'Tandem ready');

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  process.off('SIGHUP', onHangupSignal);
  logger.info('shutting down');
  control.close();
  await running.stop();
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
