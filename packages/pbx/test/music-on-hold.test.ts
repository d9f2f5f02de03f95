import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MUSIC_ON_HOLD_CONF, type MusicOnHoldClass, type MusicOnHoldConf } from '@tandem/config';
import { bundledMusicDir } from '@tandem/media';
import { chooseMusicClass, musicFiles } from '../src/channels/music-on-hold.js';

const directory = mkdtempSync(join(tmpdir(), 'tandem-moh-'));
for (const name of ['b-song.ulaw', 'b-song.alaw', 'a-song.wav', 'c-song.sln', 'notes.txt']) writeFileSync(join(directory, name), '');
mkdirSync(join(directory, 'sub.ulaw'));

afterAll(() => rmSync(directory, { recursive: true, force: true }));

function musicClass(name: string, extra: Partial<MusicOnHoldClass> = {}): MusicOnHoldClass {
  return { name, mode: 'files', directory, entries: [], sort: 'alpha', ...extra };
}

const conf = (classes: MusicOnHoldClass[], preferChannelClass = true): MusicOnHoldConf => ({ classes, preferChannelClass, found: true });

describe('music on hold classes', () => {
  it('prefers the channel class, then the class asked for, then mohinterpret, then default', () => {
    const classes = conf(['jazz', 'suggested', 'interp', 'default'].map((name) => musicClass(name)));
    const pick = (channelClass: string, requested: string, interpret: string) => chooseMusicClass(classes, { channelClass, requested, interpret })?.name;
    expect(pick('jazz', 'suggested', 'interp')).toBe('jazz');
    expect(pick('', 'suggested', 'interp')).toBe('suggested');
    expect(pick('missing', 'missing', 'interp')).toBe('interp');
    expect(pick('', '', 'missing')).toBe('default');
    // preferchannelclass=no: the holding party's suggestion comes first.
    expect(chooseMusicClass({ ...classes, preferChannelClass: false }, { channelClass: 'jazz', requested: 'suggested', interpret: '' })?.name).toBe('suggested');
    expect(chooseMusicClass(conf([musicClass('jazz')]), { channelClass: '', requested: 'rock', interpret: 'default' })).toBeUndefined();
  });

  it('offers the bundled music as default while musiconhold.conf is absent', () => {
    const chosen = chooseMusicClass(DEFAULT_MUSIC_ON_HOLD_CONF, { channelClass: '', requested: '', interpret: 'default' });
    expect(chosen?.directory).toBe(bundledMusicDir);
    expect(musicFiles(chosen!)).toEqual([join(bundledMusicDir, 'tandem-lullaby')]);
  });

  it('plays each sound of a directory once, whatever its formats, alphabetically or shuffled', () => {
    const alpha = musicFiles(musicClass('default'));
    expect(alpha).toEqual(['a-song', 'b-song', 'c-song'].map((name) => join(directory, name)));
    expect([...musicFiles(musicClass('default', { sort: 'random' }))].sort()).toEqual(alpha);
    const rotated = musicFiles(musicClass('default', { sort: 'randstart' }));
    const start = alpha.indexOf(rotated[0]!);
    expect(rotated).toEqual([...alpha.slice(start), ...alpha.slice(0, start)]);
    expect(musicFiles(musicClass('list', { mode: 'playlist', entries: ['/x/one', 'two'] }))).toEqual(['/x/one', 'two']);
    expect(musicFiles(musicClass('gone', { directory: join(directory, 'missing') }))).toEqual([]);
  });
});
