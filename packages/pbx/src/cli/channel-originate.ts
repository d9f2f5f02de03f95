import type { OutgoingChannel } from '@tandem/dialplan';
import type { Pbx } from '../pbx.js';
import { cliError, cliOk, type CliResult } from './cli-registry.js';

const USAGE = 'Usage: channel originate <tech/data> application <appname> [appdata]\n       channel originate <tech/data> extension [exten@][context]';

/** Asterisk's originate waits this long for an answer (ast_pbx_outgoing_app(), 30000 ms). */
const ANSWER_TIMEOUT_MS = 30_000;

/**
 * `channel originate` (Asterisk 20 main/cli.c handle_orig()): calls a channel and, once it
 * answers, runs an application on it or the dialplan from an extension. Returns at once, as
 * Asterisk does; the call proceeds in the background.
 */
export async function originate(pbx: Pbx, args: readonly string[]): Promise<CliResult> {
  const [target = '', kind = '', ...rest] = args;
  const slash = target.indexOf('/');
  if (slash <= 0 || (kind !== 'application' && kind !== 'extension')) return cliError(USAGE);
  const tech = target.slice(0, slash);
  const resource = target.slice(slash + 1);
  const request = await pbx.host.originateChannel(tech, resource);
  if (!request.ok) return cliError(`Unable to request channel ${target} (cause ${request.cause})`);
  const channel = request.channel;
  if (kind === 'application') {
    const [application = '', ...data] = rest;
    if (application === '') return cliError(USAGE);
    call(pbx, channel, () => pbx.runApplication(channel, application, data.join(' ')));
  } else {
    const [place = ''] = rest;
    const at = place.indexOf('@');
    const exten = at < 0 ? (place === '' ? 's' : place) : place.slice(0, at) || 's';
    const context = at < 0 ? 'default' : place.slice(at + 1) || 'default';
    call(pbx, channel, () => pbx.engine.run(channel, { context, exten }).then(() => undefined));
  }
  return cliOk('');
}

function call(pbx: Pbx, channel: OutgoingChannel, onAnswer: () => Promise<void>): void {
  const timer = setTimeout(() => channel.hangup(19), ANSWER_TIMEOUT_MS);
  channel.call({
    onRinging: () => undefined,
    onProgress: () => undefined,
    onBusy: () => undefined,
    onCongestion: () => undefined,
    onAnswer: () => {
      clearTimeout(timer);
      onAnswer().catch((error: unknown) => {
        pbx.options.logger.error({ err: error }, `originated call on ${channel.name} failed`);
        channel.hangup(16);
      });
    },
    onHangup: () => clearTimeout(timer),
  });
}
