import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMusicOnHoldConf, findMusicClass, formatDiagnostics, parseConf } from '../src/index.js';

const configDir = mkdtempSync(join(tmpdir(), 'tandem-moh-conf-'));
mkdirSync(join(configDir, 'moh'));
writeFileSync(join(configDir, 'moh', 'song.ulaw'), Buffer.alloc(160, 0xff));

afterAll(() => rmSync(configDir, { recursive: true, force: true }));

function build(text: string) {
  const doc = parseConf(text, { file: 'musiconhold.conf' });
  expect(doc.diagnostics).toEqual([]);
  const { config, diagnostics } = buildMusicOnHoldConf(doc, configDir);
  return { config, messages: formatDiagnostics(diagnostics).split('\n').filter((line) => line !== '') };
}

describe('musiconhold.conf', () => {
  it('reads files and playlist classes; a relative directory is found in the config directory', () => {
    const { config, messages } = build(
      '[general]\npreferchannelclass=no\n\n[default]\nmode=files\ndirectory=moh\nsort=random\n\n[list]\nmode=playlist\nentry=/srv/moh/a\nentry=digits/1\n',
    );
    expect(messages).toEqual([]);
    expect(config.preferChannelClass).toBe(false);
    expect(config.classes.map(({ name, mode, directory, entries, sort }) => ({ name, mode, directory, entries, sort }))).toEqual([
      { name: 'default', mode: 'files', directory: join(configDir, 'moh'), entries: [], sort: 'random' },
      { name: 'list', mode: 'playlist', directory: undefined, entries: ['/srv/moh/a', 'digits/1'], sort: 'alpha' },
    ]);
    expect(findMusicClass(config, 'DEFAULT')?.name).toBe('default');
    expect(findMusicClass(config, 'jazz')).toBeUndefined();
  });

  it('skips, at their line, classes that cannot play and names options not acted on', () => {
    const { config, messages } = build(
      '[nodir]\nmode=files\n\n[gone]\nmode=files\ndirectory=/nonexistent/moh\n\n[radio]\nmode=custom\napplication=/usr/bin/radio\n\n[empty]\nmode=playlist\n\n[ok]\ndirectory=moh\nsort=sideways\nrandom=yes\n',
    );
    expect(config.classes.map((musicClass) => [musicClass.name, musicClass.sort])).toEqual([['ok', 'random']]);
    expect(messages).toEqual([
      "musiconhold.conf:1:1: warning: music class 'nodir' has mode=files but no directory; ignored",
      "musiconhold.conf:4:1: warning: music class 'gone': directory '/nonexistent/moh' not found; ignored",
      "musiconhold.conf:8:1: warning: music class 'radio': mode=custom (an external player) is not supported by Tandem; ignored",
      "musiconhold.conf:12:1: warning: music class 'empty' has mode=playlist but no entry; ignored",
      expect.stringMatching(/^musiconhold\.conf:17:\d+: error: .*sideways/),
      'musiconhold.conf:10:1: warning: options parsed but not acted on by Tandem yet: [radio] application (musiconhold.conf:10)',
    ]);
  });
});
