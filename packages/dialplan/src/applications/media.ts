/**
 * Applications that play, collect and record (Asterisk 20, apps/app_playback.c,
 * main/pbx_builtins.c BackGround/WaitExten, apps/app_read.c, apps/app_waitdigit? (WaitDigit),
 * apps/app_record.c, main/say.c SayDigits/SayNumber/SayAlpha).
 */
import { answerChannel } from '../engine/answer-channel.js';
import type { ApplicationResult, DialplanApplication } from '../engine/application-registry.js';
import type { DialplanSession } from '../engine/dialplan-session.js';
import { splitArgs } from '../internal/split-args.js';
import { characterPrompts, digitPrompts, numberPrompts } from './english-prompts.js';

/** `a&b&c` to prompt names (ast_strsep with trimming). */
function promptList(text: string): string[] {
  return text.split('&').map((name) => name.trim()).filter((name) => name !== '');
}

/** Plays prompts that any digit may interrupt; returns the digit when one did. */
async function playInterruptible(session: DialplanSession, prompts: readonly string[]): Promise<{ digit?: string; failed: boolean; hungUp: boolean }> {
  const result = await session.channel.media.play(prompts, { interruptDigits: '0123456789*#ABCD' });
  return {
    ...(result.status === 'interrupted' && result.digit !== undefined ? { digit: result.digit } : {}),
    failed: result.status === 'failed',
    hungUp: result.status === 'hangup' || session.channel.isHungUp,
  };
}

const playback: DialplanApplication = {
  name: 'Playback',
  synopsis: 'Play a file.',
  syntax: 'Playback(filename[&filename2[&...]],[options])',
  description: 'Options: skip (do nothing when not answered), noanswer (play without answering), say, mix. Sets PLAYBACKSTATUS to SUCCESS or FAILED.',
  async execute(session, data): Promise<ApplicationResult> {
    const [files = '', options = ''] = splitArgs(data, { max: 2 });
    if (files === '') {
      session.log('warning', 'Playback requires an argument (filename)');
      return 'hangup';
    }
    const channel = session.channel;
    if (channel.state !== 'up') {
      if (options.includes('skip')) {
        await session.setVariable('PLAYBACKSTATUS', 'SUCCESS');
        return 'continue';
      }
      // ast_answer(): answer, then wait briefly for the caller's media.
      if (!options.includes('noanswer') && (await answerChannel(session)) === 'hangup') return 'hangup';
    }
    if (channel.isHungUp) return 'hangup';
    const result = await channel.media.play(promptList(files));
    await session.setVariable('PLAYBACKSTATUS', result.status === 'failed' ? 'FAILED' : 'SUCCESS');
    return result.status === 'hangup' || channel.isHungUp ? 'hangup' : 'continue';
  },
};

const background: DialplanApplication = {
  name: 'BackGround',
  synopsis: 'Play an audio file while waiting for digits of an extension to go to.',
  syntax: 'BackGround(filename1[&filename2[&...]][,options[,langoverride[,context]]])',
  description: 'Options: s (skip when not answered), n (do not answer), m (only break on a digit that matches a one-digit extension), p (no digits interrupt). Sets BACKGROUNDSTATUS.',
  async execute(session, data): Promise<ApplicationResult> {
    const [files = '', options = '', , contextArg = ''] = splitArgs(data, { max: 4 });
    if (files === '') {
      session.log('warning', 'Background requires an argument (filename)');
      return 'hangup';
    }
    const context = contextArg || session.getVariable('MACRO_CONTEXT') || session.context;
    const skip = options === 'skip' || (options !== 'noanswer' && options.includes('s'));
    const noAnswer = options === 'noanswer' || options.includes('n');
    const channel = session.channel;
    if (channel.state !== 'up') {
      if (skip) {
        await session.setVariable('BACKGROUNDSTATUS', 'SUCCESS');
        return 'continue';
      }
      // ast_answer(): answer, then wait briefly for the caller's media.
      if (!noAnswer && (await answerChannel(session)) === 'hangup') return 'hangup';
    }
    let digit: string | undefined;
    let failed = false;
    if (options.includes('p')) {
      const result = await channel.media.play(promptList(files));
      failed = result.status === 'failed';
    } else {
      const result = await playInterruptible(session, promptList(files));
      failed = result.failed;
      digit = result.digit;
      if (digit !== undefined && options.includes('m') && !session.dialplan.canMatch(context, digit, { callerId: session.callerNumber, now: session.host.now() })) {
        digit = undefined;
      }
    }
    await session.setVariable('BACKGROUNDSTATUS', failed ? 'FAILED' : 'SUCCESS');
    if (channel.isHungUp) return 'hangup';
    if (digit === undefined) return 'continue';
    const options_ = { callerId: session.callerNumber, now: session.host.now() };
    // A one-digit extension that cannot grow is taken at once; otherwise the PBX collects more.
    if (session.dialplan.canMatch(context, digit, options_) && !session.dialplan.matchMore(context, digit, options_)) {
      session.goto({ context, exten: digit, priority: 1 });
      return 'continue';
    }
    if (context !== session.context) session.context = context;
    return { digit };
  },
};

const waitExten: DialplanApplication = {
  name: 'WaitExten',
  synopsis: 'Waits for an extension to be entered.',
  syntax: 'WaitExten([seconds,[options]])',
  description: 'Waits for a digit (default: TIMEOUT(response)); on timeout goes to `t` (or continues when the next priority exists).',
  async execute(session, data): Promise<ApplicationResult> {
    const [secondsText = '', options = ''] = splitArgs(data, { max: 2 });
    const seconds = Number.parseFloat(secondsText);
    const waitMs = seconds > 0 ? seconds * 1000 : session.responseTimeoutMs;
    const moh = /m(\(([^)]*)\))?/.exec(options);
    const dialTone = /d(\(([^)]*)\))?/.exec(options);
    if (moh) session.channel.media.startMusicOnHold?.(moh[2] || 'default');
    else if (dialTone) session.channel.media.playTones(dialTone[2] || 'dial');
    const digit = await session.waitForDigit(waitMs);
    if (moh) session.channel.media.stopMusicOnHold?.();
    else if (dialTone) session.channel.media.stopTones();
    if (session.channel.isHungUp) return 'hangup';
    if (digit !== undefined) return { digit };
    // Timeout: the next priority if it exists, else `t`, else hang up.
    if (session.exists(session.context, session.exten, session.priority + 1)) return 'continue';
    if (session.exists(session.context, 't', 1)) {
      session.log('verbose', `Timeout on ${session.channel.name}, going to 't'`);
      session.goto({ exten: 't', priority: 1 });
      return 'continue';
    }
    session.log('warning', `Timeout but no rule 't' or 'e' in context '${session.context}'`);
    return 'hangup';
  },
};

const waitDigit: DialplanApplication = {
  name: 'WaitDigit',
  synopsis: 'Waits for a digit to be entered.',
  syntax: 'WaitDigit([seconds,[digits]])',
  description: 'Sets WAITDIGITSTATUS (DTMF, TIMEOUT, ERROR, CANCEL) and WAITDIGITRESULT.',
  async execute(session, data): Promise<ApplicationResult> {
    const [secondsText = '', accepted = ''] = splitArgs(data, { max: 2 });
    const seconds = Number.parseFloat(secondsText);
    const deadline = Date.now() + (seconds > 0 ? seconds * 1000 : 0);
    for (;;) {
      const remaining = deadline - Date.now();
      const digit = remaining > 0 || seconds > 0 ? await session.waitForDigit(Math.max(0, remaining)) : undefined;
      if (session.channel.isHungUp) {
        await session.setVariable('WAITDIGITSTATUS', 'CANCEL');
        return 'hangup';
      }
      if (digit === undefined) {
        await session.setVariable('WAITDIGITSTATUS', 'TIMEOUT');
        return 'continue';
      }
      if (accepted === '' || accepted.includes(digit)) {
        await session.setVariable('WAITDIGITSTATUS', 'DTMF');
        await session.setVariable('WAITDIGITRESULT', digit);
        return 'continue';
      }
    }
  },
};

const read: DialplanApplication = {
  name: 'Read',
  synopsis: 'Read a variable.',
  syntax: 'Read(variable[,filename[&filename2[&...]][,maxdigits[,options[,attempts[,timeout]]]]])',
  description: 'Options: s (skip when not answered), i (filename is an indication), n (read without answering), t(terms). Sets READSTATUS: OK, ERROR, HANGUP, INTERRUPTED, SKIPPED, TIMEOUT.',
  async execute(session, data): Promise<ApplicationResult> {
    const [variable = '', files = '', maxText = '', options = '', attemptsText = '', timeoutText = ''] = splitArgs(data, { max: 6 });
    if (variable === '') {
      session.log('warning', 'Read requires an argument (variable)');
      await session.setVariable('READSTATUS', 'ERROR');
      return 'continue';
    }
    let maxDigits = Number.parseInt(maxText, 10);
    if (!(maxDigits > 0) || maxDigits > 255) maxDigits = 255;
    const attempts = Math.max(1, Number.parseInt(attemptsText, 10) || 1);
    const timeoutSeconds = Number.parseFloat(timeoutText);
    const timeoutMs = timeoutSeconds > 0 ? timeoutSeconds * 1000 : session.digitTimeoutMs;
    const terminatorMatch = /t\(([^)]*)\)/.exec(options);
    const terminators = terminatorMatch ? (terminatorMatch[1] as string) : options.includes('t') ? '' : '#';
    const channel = session.channel;
    if (channel.state !== 'up') {
      if (options.includes('s')) {
        await session.setVariable('READSTATUS', 'SKIPPED');
        return 'continue';
      }
      // ast_answer(): answer, then wait briefly for the caller's media.
      if (!options.includes('n') && (await answerChannel(session)) === 'hangup') return 'hangup';
    }
    let status = 'TIMEOUT';
    let collected = '';
    for (let attempt = 0; attempt < attempts && status === 'TIMEOUT'; attempt++) {
      collected = '';
      let first: string | undefined;
      if (files !== '' && !options.includes('i')) {
        const played = await playInterruptible(session, promptList(files));
        if (played.hungUp) {
          status = 'HANGUP';
          break;
        }
        first = played.digit;
      } else if (files !== '') {
        channel.media.playTones(files);
      }
      for (;;) {
        const digit = first ?? (await session.waitForDigit(timeoutMs));
        first = undefined;
        if (options.includes('i') && files !== '') channel.media.stopTones();
        if (digit === undefined) {
          if (channel.isHungUp) status = 'HANGUP';
          else if (collected !== '') status = 'OK';
          break;
        }
        if (terminators.includes(digit)) {
          status = 'OK';
          break;
        }
        collected += digit;
        if (collected.length >= maxDigits) {
          status = 'OK';
          break;
        }
      }
    }
    await session.setVariable(variable, collected);
    await session.setVariable('READSTATUS', status);
    return status === 'HANGUP' ? 'hangup' : 'continue';
  },
};

async function say(session: DialplanSession, prompts: readonly string[] | undefined): Promise<ApplicationResult> {
  if (!prompts) return 'continue';
  const result = await playInterruptible(session, prompts);
  if (result.hungUp) return 'hangup';
  return result.digit === undefined ? 'continue' : { digit: result.digit };
}

const sayDigits: DialplanApplication = {
  name: 'SayDigits',
  synopsis: 'Say Digits.',
  syntax: 'SayDigits(digits)',
  execute: (session, data) => say(session, digitPrompts(splitArgs(data, { max: 2 })[0] ?? '')),
};

const sayNumber: DialplanApplication = {
  name: 'SayNumber',
  synopsis: 'Say Number.',
  syntax: 'SayNumber(digits[,gender])',
  async execute(session, data): Promise<ApplicationResult> {
    const [text = ''] = splitArgs(data, { max: 2 });
    if (!/^\s*[+-]?\d+/.test(text)) {
      session.log('warning', `First argument to SayNumber must be an integer, not '${text}'`);
      return 'hangup';
    }
    const prompts = numberPrompts(Number.parseInt(text, 10));
    if (!prompts) {
      session.log('debug', `Number '${text}' is too big for me`);
      return 'continue';
    }
    return say(session, prompts);
  },
};

const sayAlpha: DialplanApplication = {
  name: 'SayAlpha',
  synopsis: 'Say Alpha.',
  syntax: 'SayAlpha(string)',
  execute: (session, data) => say(session, characterPrompts(data)),
};

const sayAlphaCase: DialplanApplication = {
  name: 'SayAlphaCase',
  synopsis: 'Say Alpha specifying case sensitivity.',
  syntax: 'SayAlphaCase(casetype,string)',
  execute(session, data) {
    const [caseType = '', text = ''] = splitArgs(data, { max: 2 });
    const mode = caseType.includes('a') ? 'all' : caseType.includes('u') ? 'upper' : caseType.includes('l') ? 'lower' : 'none';
    return say(session, characterPrompts(text, mode));
  },
};

const FORMATS = new Set(['wav', 'ulaw', 'alaw', 'sln', 'gsm', 'WAV', 'g722', 'g729']);

const record: DialplanApplication = {
  name: 'Record',
  synopsis: 'Record to a file.',
  syntax: 'Record(filename.format,[silence,[maxduration,[options]]])',
  description: 'Options: a (append), n (do not answer), q (no beep), s (skip when not answered), t (* terminates), x (ignore all terminators), y (any DTMF terminates), k (keep on hangup). Sets RECORDED_FILE and RECORD_STATUS (DTMF, SILENCE, SKIP, TIMEOUT, HANGUP, ERROR).',
  async execute(session, data): Promise<ApplicationResult> {
    const [file = '', silenceText = '', maxText = '', options = ''] = splitArgs(data, { max: 4 });
    const dot = file.lastIndexOf('.');
    const format = dot < 0 ? '' : file.slice(dot + 1);
    if (dot < 0 || !FORMATS.has(format)) {
      session.log('warning', `No extension specified to filename! (${file})`);
      await session.setVariable('RECORD_STATUS', 'ERROR');
      return 'hangup';
    }
    const channel = session.channel;
    if (channel.state !== 'up') {
      if (options.includes('s')) {
        await session.setVariable('RECORD_STATUS', 'SKIP');
        return 'continue';
      }
      // ast_answer(): answer, then wait briefly for the caller's media.
      if (!options.includes('n') && (await answerChannel(session)) === 'hangup') return 'hangup';
    }
    // %d in the name is replaced by the first free number (app_record.c).
    const name = file.includes('%d') ? file.replace('%d', '0') : file;
    if (!options.includes('q')) await channel.media.play(['beep']);
    const terminators = options.includes('x') ? '' : options.includes('y') ? '0123456789*#ABCD' : options.includes('t') ? '*' : '#';
    const result = await channel.media.record(name, {
      silenceMs: Math.max(0, Number.parseInt(silenceText, 10) || 0) * 1000,
      maxDurationMs: Math.max(0, Number.parseInt(maxText, 10) || 0) * 1000,
      terminators,
      append: options.includes('a'),
    });
    await session.setVariable('RECORDED_FILE', name.slice(0, name.lastIndexOf('.')));
    await session.setVariable('RECORD_STATUS', result.status.toUpperCase());
    return result.status === 'hangup' ? 'hangup' : 'continue';
  },
};

/** The media applications. */
export const mediaApplications: readonly DialplanApplication[] = [
  playback,
  background,
  waitExten,
  waitDigit,
  read,
  sayDigits,
  sayNumber,
  sayAlpha,
  sayAlphaCase,
  record,
];
