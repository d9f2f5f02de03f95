import { readdirSync, type Dirent } from 'node:fs';
import { extname, join } from 'node:path';
import { findMusicClass, type MusicOnHoldClass, type MusicOnHoldConf } from '@tandem/config';
import { bundledMusicDir } from '@tandem/media';

/** The class names a channel's music could come from (res_musiconhold local_ast_moh_start()). */
export interface MusicChoice {
  /** Set(CHANNEL(musicclass)=...) on the channel, or ''. */
  readonly channelClass: string;
  /** The class asked for: MusicOnHold()'s argument, or the holding party's `mohsuggest`. */
  readonly requested: string;
  /** The channel's own `mohinterpret`. */
  readonly interpret: string;
}

/** Tandem's `default` class while musiconhold.conf is absent: the bundled music. */
const BUNDLED_DEFAULT: MusicOnHoldClass = {
  name: 'default',
  mode: 'files',
  directory: bundledMusicDir,
  entries: [],
  sort: 'alpha',
};

/** Formats the media engine plays (a name without extension picks the one matching the codec). */
const PLAYABLE = new Set(['.ulaw', '.alaw', '.sln', '.wav']);

/**
 * The class a channel plays, in res_musiconhold's order of preference: the channel's class
 * (first unless `preferchannelclass=no`), the class asked for, the channel's `mohinterpret`,
 * then `default`. Names of classes that do not exist are passed over.
 */
export function chooseMusicClass(conf: MusicOnHoldConf, choice: MusicChoice): MusicOnHoldClass | undefined {
  const known: MusicOnHoldConf = conf.found ? conf : { ...conf, classes: [BUNDLED_DEFAULT] };
  const order = known.preferChannelClass
    ? [choice.channelClass, choice.requested, choice.interpret, 'default']
    : [choice.requested, choice.channelClass, choice.interpret, 'default'];
  for (const name of order) {
    const found = name === '' ? undefined : findMusicClass(known, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * What a class plays, in order: its playlist, or the sound files of its directory (one entry
 * per name, whatever formats it has), alphabetically, shuffled for `sort=random`, or from a
 * random one on for `sort=randstart`. Read at each start, so files added since are played.
 */
export function musicFiles(musicClass: MusicOnHoldClass): string[] {
  let files: string[];
  if (musicClass.mode === 'playlist') {
    files = [...musicClass.entries];
  } else {
    const directory = musicClass.directory ?? '';
    let entries: Dirent[];
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      return [];
    }
    const bases = new Set<string>();
    for (const entry of entries) {
      const extension = extname(entry.name).toLowerCase();
      if (!entry.isDirectory() && PLAYABLE.has(extension)) bases.add(entry.name.slice(0, -extension.length));
    }
    files = [...bases].sort().map((base) => join(directory, base));
  }
  if (musicClass.sort === 'random') {
    for (let i = files.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [files[i], files[j]] = [files[j]!, files[i]!];
    }
  } else if (musicClass.sort === 'randstart' && files.length > 1) {
    const start = Math.floor(Math.random() * files.length);
    files = [...files.slice(start), ...files.slice(0, start)];
  }
  return files;
}
