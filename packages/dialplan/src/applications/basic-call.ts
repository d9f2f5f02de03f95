/**
 * Call control applications (Asterisk 20, main/pbx_builtins.c, apps/app_verbose.c,
 * apps/app_echo.c, apps/app_playtones.c, apps/app_senddtmf.c, res/res_musiconhold.c).
 */
import type { ApplicationResult, DialplanApplication } from '../engine/application-registry.js';
import { answerChannel } from '../engine/answer-channel.js';
import { indicateAndWait, parseWaitSeconds } from '../engine/indicate-and-wait.js';
import { parseCause } from '../hangup-causes.js';
import type { DialplanLogLevel } from '../host.js';
import { splitArgs } from '../internal/split-args.js';

const answer: DialplanApplication = {
  name: 'Answer',
  synopsis: 'Answer a channel if ringing.',
  syntax: 'Answer([delay,[options]])',
  description:
    "Answers the channel. A channel that was ringing then waits for the caller's media: until the first audio or DTMF arrives, at most 500 ms; with a delay (ms), the larger of delay and 500 ms in full. Option i answers without waiting.",
  async execute(session, data): Promise<ApplicationResult> {
    // main/pbx_builtins.c pbx_builtin_answer()
    const [delayText = '', options = ''] = splitArgs(data, { max: 2 });
    const channel = session.channel;
    if (options === 'i') {
      if (channel.state !== 'up') await channel.answer();
      return channel.isHungUp ? 'hangup' : 'continue';
    }
    const delay = Math.max(0, Number.parseInt(delayText, 10) || 0);
    return answerChannel(session, delay);
  },
};

const hangup: DialplanApplication = {
  name: 'Hangup',
  synopsis: 'Hang up the calling channel.',
  syntax: 'Hangup([causecode])',
  description: 'Hangs up with the given cause (number or Q.850 name); keeps an existing cause, else 16.',
  execute(session, data) {
    const channel = session.channel;
    let cause = 0;
    if (data.trim() !== '') {
      const parsed = parseCause(data);
      if (parsed === undefined) session.log('warning', `Invalid cause given to Hangup(): "${data}"`);
      else cause = parsed;
    }
    if (cause) channel.hangupCause = cause;
    else if (!channel.hangupCause) channel.hangupCause = 16;
    if (!channel.isHungUp) channel.hangup(channel.hangupCause);
    return 'hangup';
  },
};

const busy: DialplanApplication = {
  name: 'Busy',
  synopsis: 'Indicate the Busy condition.',
  syntax: 'Busy([timeout])',
  description: 'Indicates busy (cause 17 when not answered) and waits `timeout` seconds, or until hangup.',
  execute: (session, data) => indicateAndWait(session, 'busy', parseWaitSeconds(data)),
};

const congestion: DialplanApplication = {
  name: 'Congestion',
  synopsis: 'Indicate the Congestion condition.',
  syntax: 'Congestion([timeout])',
  description: 'Indicates congestion (cause 34 when not answered) and waits `timeout` seconds, or until hangup.',
  execute: (session, data) => indicateAndWait(session, 'congestion', parseWaitSeconds(data)),
};

function indication(name: string, synopsis: string, what: 'ringing' | 'progress' | 'proceeding'): DialplanApplication {
  return {
    name,
    synopsis,
    syntax: `${name}()`,
    async execute(session): Promise<ApplicationResult> {
      await session.channel.indicate(what);
      return 'continue';
    },
  };
}

const wait: DialplanApplication = {
  name: 'Wait',
  synopsis: 'Waits for some time.',
  syntax: 'Wait(seconds)',
  description: 'Waits the given seconds (fractions allowed); returns hangup if the caller hangs up.',
  async execute(session, data): Promise<ApplicationResult> {
    const seconds = Number.parseFloat(data);
    if (!(seconds > 0)) return 'continue';
    return (await session.sleep(seconds * 1000)) === 'done' ? 'continue' : 'hangup';
  },
};

const noOp: DialplanApplication = {
  name: 'NoOp',
  synopsis: 'Do Nothing (No Operation).',
  syntax: 'NoOp([text])',
  description: 'Does nothing; its substituted argument shows in verbose traces.',
  execute: () => 'continue',
};

const verbose: DialplanApplication = {
  name: 'Verbose',
  synopsis: 'Send arbitrary text to verbose output.',
  syntax: 'Verbose([level,]message)',
  execute(session, data) {
    const parts = splitArgs(data, { max: 2 });
    const message = parts.length === 2 && /^\s*\d+\s*$/.test(parts[0] as string) ? (parts[1] as string) : data;
    session.host.log('verbose', message, session.channel);
    return 'continue';
  },
};

const LOG_LEVELS: Readonly<Record<string, DialplanLogLevel>> = {
  ERROR: 'error',
  WARNING: 'warning',
  NOTICE: 'notice',
  DEBUG: 'debug',
  VERBOSE: 'verbose',
  DTMF: 'verbose',
  SECURITY: 'notice',
};

const log: DialplanApplication = {
  name: 'Log',
  synopsis: 'Send arbitrary text to a selected log level.',
  syntax: 'Log(level,message)',
  execute(session, data) {
    const [levelName = '', message = ''] = splitArgs(data, { max: 2 });
    const level = LOG_LEVELS[levelName.trim().toUpperCase()];
    if (!level) {
      session.log('warning', `Unknown log level '${levelName}'`);
      return 'continue';
    }
    session.host.log(level, message, session.channel);
    return 'continue';
  },
};

const echo: DialplanApplication = {
  name: 'Echo',
  synopsis: 'Echo media, DTMF back to the calling party',
  syntax: 'Echo()',
  async execute(session): Promise<ApplicationResult> {
    const status = await session.channel.media.echo();
    // app_echo returns 0 when '#' ends it, -1 on hangup.
    return status === 'hangup' || session.channel.isHungUp ? 'hangup' : 'continue';
  },
};

const playTones: DialplanApplication = {
  name: 'PlayTones',
  synopsis: 'Play a tone list.',
  syntax: 'PlayTones(arg)',
  execute(session, data) {
    if (data.trim() === '') {
      session.log('notice', 'Nothing to play');
      return 'continue';
    }
    session.channel.media.playTones(data);
    return 'continue';
  },
};

const stopPlayTones: DialplanApplication = {
  name: 'StopPlayTones',
  synopsis: 'Stop playing a tone list.',
  syntax: 'StopPlayTones()',
  execute(session) {
    session.channel.media.stopTones();
    return 'continue';
  },
};

const sendDtmf: DialplanApplication = {
  name: 'SendDTMF',
  synopsis: 'Sends arbitrary DTMF digits',
  syntax: 'SendDTMF(digits,[timeout_ms,[duration_ms,[channel,[options]]]])',
  async execute(session, data): Promise<ApplicationResult> {
    const [digits = '', , durationText = ''] = splitArgs(data, { max: 5 });
    if (digits === '') {
      session.log('warning', 'SendDTMF requires an argument');
      return 'continue';
    }
    if (!/^[0-9*#a-dA-DwW]+$/.test(digits)) {
      session.log('warning', `Illegal DTMF character in string. (${digits})`);
      return 'continue';
    }
    const duration = Number.parseInt(durationText, 10);
    await session.channel.media.sendDigits(digits, duration > 0 ? duration : 100);
    return session.channel.isHungUp ? 'hangup' : 'continue';
  },
};

const setAmaFlags: DialplanApplication = {
  name: 'SetAMAFlags',
  synopsis: 'Set the AMA Flags.',
  syntax: 'SetAMAFlags([flag])',
  description: 'Deprecated in Asterisk; kept as the AMAFLAGS channel variable.',
  async execute(session, data): Promise<ApplicationResult> {
    const flag = data.trim().toUpperCase();
    if (!['DEFAULT', 'OMIT', 'BILLING', 'DOCUMENTATION'].includes(flag)) {
      session.log('warning', `Invalid AMA flag '${data}'`);
      return 'continue';
    }
    await session.setVariable('AMAFLAGS', flag);
    return 'continue';
  },
};

const incomplete: DialplanApplication = {
  name: 'Incomplete',
  synopsis: 'Returns AST_PBX_INCOMPLETE value.',
  syntax: 'Incomplete([n])',
  description:
    'Signals that the dialled number is incomplete: answers first unless `n`, indicates it (SIP: 484 Address Incomplete before the answer with allowoverlap=yes) and the PBX waits for more digits.',
  async execute(session, data): Promise<ApplicationResult> {
    // main/pbx_builtins.c pbx_builtin_incomplete()
    const channel = session.channel;
    if (channel.isHungUp) return 'hangup';
    if (!data.includes('n') && channel.state !== 'up') await answerChannel(session);
    await channel.indicate('incomplete');
    return 'incomplete';
  },
};

const raiseException: DialplanApplication = {
  name: 'RaiseException',
  synopsis: 'Handle an exceptional condition.',
  syntax: 'RaiseException(reason)',
  description: 'Jumps to the `e` extension with EXCEPTION(reason) set; without `e` the call ends.',
  execute(session, data) {
    const reason = data.trim();
    if (reason === '') {
      session.log('error', 'RaiseException requires a reason');
      return 'hangup';
    }
    if (!session.exists(session.context, 'e', 1)) return 'hangup';
    session.engine.raiseException(session, reason);
    session.jumped = true;
    return 'continue';
  },
};

const musicOnHold: DialplanApplication = {
  name: 'MusicOnHold',
  synopsis: 'Play Music On Hold indefinitely.',
  syntax: 'MusicOnHold(class,[duration])',
  async execute(session, data): Promise<ApplicationResult> {
    const [musicClass = '', durationText = ''] = splitArgs(data, { max: 2 });
    startMusic(session, musicClass);
    const seconds = Number.parseInt(durationText, 10);
    const outcome = seconds > 0 ? await session.sleep(seconds * 1000) : await waitUntilHangup(session);
    session.channel.media.stopMusicOnHold?.();
    return outcome === 'done' ? 'continue' : 'hangup';
  },
};

function startMusic(session: Parameters<DialplanApplication['execute']>[0], musicClass: string): void {
  const media = session.channel.media;
  if (media.startMusicOnHold) media.startMusicOnHold(musicClass);
  else session.log('warning', `Channel ${session.channel.name} cannot play music on hold`);
}

async function waitUntilHangup(session: Parameters<DialplanApplication['execute']>[0]): Promise<'hangup' | 'timeout'> {
  for (;;) {
    const outcome = await session.sleep(60_000);
    if (outcome !== 'done') return outcome;
  }
}

const startMusicOnHold: DialplanApplication = {
  name: 'StartMusicOnHold',
  synopsis: 'Play Music On Hold.',
  syntax: 'StartMusicOnHold(class)',
  execute(session, data) {
    startMusic(session, data.trim());
    return 'continue';
  },
};

const stopMusicOnHold: DialplanApplication = {
  name: 'StopMusicOnHold',
  synopsis: 'Stop playing Music On Hold.',
  syntax: 'StopMusicOnHold()',
  execute(session) {
    session.channel.media.stopMusicOnHold?.();
    return 'continue';
  },
};

/** The call control applications. */
export const basicCallApplications: readonly DialplanApplication[] = [
  answer,
  hangup,
  busy,
  congestion,
  indication('Progress', 'Indicate progress.', 'progress'),
  indication('Ringing', 'Indicate ringing tone.', 'ringing'),
  indication('Proceeding', 'Indicate proceeding.', 'proceeding'),
  wait,
  noOp,
  verbose,
  log,
  echo,
  playTones,
  stopPlayTones,
  sendDtmf,
  setAmaFlags,
  incomplete,
  raiseException,
  musicOnHold,
  startMusicOnHold,
  stopMusicOnHold,
];
