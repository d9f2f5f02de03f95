import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { BaresipControl, type BaresipEvent } from './baresip-control.js';
import { writeWav, type PcmAudio } from './wav-file.js';

/** The baresip modules a test phone loads (Debian's baresip-core ships them all). */
const REQUIRED_MODULES = ['g711', 'aufile', 'sndfile', 'account', 'menu', 'ctrl_tcp'] as const;
const MODULE_DIRECTORIES = ['/usr/lib/baresip/modules', '/usr/local/lib/baresip/modules', '/usr/lib/x86_64-linux-gnu/baresip/modules'];

/** Where baresip and its modules are, or why it cannot run here. */
export type BaresipInstallation = { readonly program: string; readonly modulePath: string } | { readonly missing: string };

/** Finds the `baresip` executable on PATH and a module directory holding every module the test phones need. */
export function locateBaresip(): BaresipInstallation {
  const program = (process.env['PATH'] ?? '')
    .split(delimiter)
    .filter((directory) => directory !== '')
    .map((directory) => join(directory, 'baresip'))
    .find((candidate) => {
      try {
        accessSync(candidate, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  if (program === undefined) return { missing: 'baresip is not on PATH (Debian: apt-get install baresip-core)' };
  const modulePath = MODULE_DIRECTORIES.find((directory) => REQUIRED_MODULES.every((name) => existsSync(join(directory, `${name}.so`))));
  if (modulePath === undefined) return { missing: `no baresip module directory with ${REQUIRED_MODULES.join(', ')} (looked in ${MODULE_DIRECTORIES.join(', ')})` };
  return { program, modulePath };
}

/** G.711 codecs by their baresip names. */
export type BaresipCodec = 'PCMU' | 'PCMA';

/** How to start one baresip phone. */
export interface BaresipOptions {
  readonly installation: { readonly program: string; readonly modulePath: string };
  /** The account: AOR user and digest user name (a sip.conf device). */
  readonly user: string;
  readonly password: string;
  /** The registrar and call server (Tandem): `sip:<user>@<server>:<serverPort>` is the AOR. */
  readonly server: string;
  readonly serverPort: number;
  /** The phone's own loopback address: SIP (UDP and TCP on `sipPort`, TLS on `sipPort + 1`), RTP and control. */
  readonly address: string;
  readonly sipPort: number;
  readonly controlPort: number;
  /** RTP port range `[first, last]` on `address`. */
  readonly rtpPorts: readonly [number, number];
  /** Codecs offered and accepted, in order of preference. */
  readonly codecs: readonly BaresipCodec[];
  /** What the phone's "microphone" plays: 8 kHz mono audio, written to a WAV for aufile. */
  readonly microphone: PcmAudio;
  /** `auto` answers incoming calls at once; default `manual`. */
  readonly answerMode?: 'manual' | 'auto';
  /** The registration interval asked for (account `regint`); default 300 s. */
  readonly registrationSeconds?: number;
  /** baresip exits by itself after this long (`-t`), a bound should the test lose it; default 120 s. */
  readonly lifetimeSeconds?: number;
}

/** A running baresip process with its control connection. */
export interface BaresipPhone extends AsyncDisposable {
  readonly user: string;
  /** Its config directory (config, accounts, the microphone WAV, recordings/). */
  readonly directory: string;
  readonly control: BaresipControl;
  /** What baresip printed (including the SIP trace of `-s`), colours removed. */
  output(): string;
  /** Polls `reginfo` until the account's registration answered 200 OK. */
  waitForRegistration(timeoutMs?: number): Promise<void>;
  /** Resolves with the first call event of `type` (any call); see {@link BaresipControl.waitForEvent}. */
  waitForCall(type: string, timeoutMs?: number): Promise<BaresipEvent>;
  /** Paths of the audio this phone received, one WAV per call (sndfile's decoder dump), oldest first. */
  receivedAudio(): string[];
  /** Resolves once the newest received-audio recording holds `ms` of audio (sample time); bounded by `timeoutMs`. */
  waitForReceivedAudio(ms: number, timeoutMs?: number): Promise<string>;
  /** SIGTERM (baresip unregisters and exits), SIGKILL after 5 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const ANSI_ESCAPE = /\x1b\[[0-9;]*m/g;
const WAV_HEADER_BYTES = 44;

/** The `config` file: only the modules and settings a headless test phone needs. */
function baresipConfig(options: BaresipOptions, directory: string): string {
  const { address } = options;
  return [
    `sip_listen ${address}:${options.sipPort}`,
    // An IP address as net_interface makes baresip use it for Contact, Via and SDP.
    `net_interface ${address}`,
    `rtp_ports ${options.rtpPorts[0]}-${options.rtpPorts[1]}`,
    'call_local_timeout 120',
    'call_max_calls 4',
    `audio_path ${directory}`,
    // No audio device: the source is a file; with no player module loaded baresip skips the
    // player, and sndfile's decode filter still records every received frame.
    `audio_source aufile,${join(directory, 'microphone.wav')}`,
    'audio_buffer 20-160',
    'jitter_buffer_delay 1-10',
    'statmode_default off',
    'ringback_disabled yes',
    `module_path ${options.installation.modulePath}`,
    'module g711.so',
    'module aufile.so',
    'module sndfile.so',
    'module_tmp account.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen ${address}:${options.controlPort}`,
    `snd_path ${join(directory, 'recordings')}`,
    '',
  ].join('\n');
}

/** The `accounts` file: one account registering at the server with digest credentials. */
function baresipAccount(options: BaresipOptions): string {
  const parameters = [
    `auth_pass=${options.password}`,
    `answermode=${options.answerMode ?? 'manual'}`,
    `audio_codecs=${options.codecs.join(',')}`,
    `regint=${options.registrationSeconds ?? 300}`,
    'mwi=no',
  ];
  return `<sip:${options.user}@${options.server}:${options.serverPort}>;${parameters.join(';')}\n`;
}

/**
 * Starts baresip headless on a config directory written for `options` and connects to its
 * ctrl_tcp module. The phone registers by itself; see {@link BaresipPhone.waitForRegistration}.
 */
export async function startBaresip(options: BaresipOptions): Promise<BaresipPhone> {
  const directory = mkdtempSync(join(tmpdir(), `tandem-baresip-${options.user}-`));
  const recordings = join(directory, 'recordings');
  mkdirSync(recordings);
  writeWav(join(directory, 'microphone.wav'), options.microphone);
  writeFileSync(join(directory, 'config'), baresipConfig(options, directory));
  writeFileSync(join(directory, 'accounts'), baresipAccount(options));

  const child = spawn(options.installation.program, ['-f', directory, '-s', '-t', String(options.lifetimeSeconds ?? 120)], {
    cwd: directory,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      printed += `\n${String(error)}`;
      resolve(-1);
    });
  });
  const output = (): string => printed.replace(ANSI_ESCAPE, '');

  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  let control: BaresipControl;
  try {
    control = await Promise.race([
      BaresipControl.connect(options.address, options.controlPort),
      exited.then((code) => Promise.reject(new Error(`baresip exited (${code}) before its control port opened`))),
    ]);
  } catch (error) {
    await stop();
    throw new Error(`${String(error)}\n${output()}`);
  }

  const receivedAudio = (): string[] =>
    readdirSync(recordings)
      .filter((name) => name.endsWith('-dec.wav'))
      .sort()
      .map((name) => join(recordings, name));

  return {
    user: options.user,
    directory,
    control,
    output,
    async waitForRegistration(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { data } = await control.command('reginfo');
        if (/\bOK\b/.test(data)) return;
        if (Date.now() >= deadline) throw new Error(`${options.user} did not register within ${timeoutMs} ms: ${data}\n${output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    waitForCall: (type, timeoutMs) => control.waitForEvent((event) => event.class === 'call' && event.type === type, timeoutMs),
    receivedAudio,
    async waitForReceivedAudio(ms, timeoutMs = 15_000) {
      const wanted = WAV_HEADER_BYTES + Math.ceil((ms * 8000) / 1000) * 2;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const newest = receivedAudio().at(-1);
        if (newest !== undefined && statSync(newest).size >= wanted) return newest;
        if (Date.now() >= deadline) throw new Error(`${options.user} did not receive ${ms} ms of audio within ${timeoutMs} ms\n${output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop,
    async [Symbol.asyncDispose]() {
      control.close();
      await stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
