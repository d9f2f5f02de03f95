import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkConfig } from '../src/check-config.js';

describe('checkConfig', () => {
  const dirs: string[] = [];
  const dirWith = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-check-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('prints each diagnostic and a count, and returns 1 on an error', () => {
    const dir = dirWith({ 'sip.conf': '[general]\nbindport=99999\n', 'extensions.conf': '[default]\nexten => 1,1,Answer()\n' });
    let printed = '';
    expect(checkConfig(dir, (text) => (printed += text))).toBe(1);
    expect(printed).toBe(`sip.conf:2:1: error: invalid value '99999' for 'bindport': expected a whole number from 1 to 65535\n${dir}: 1 error(s), 0 warning(s)\n`);
  });

  it('returns 0 on a directory without errors', () => {
    const dir = dirWith({ 'sip.conf': '[general]\n', 'extensions.conf': '[default]\nexten => 1,1,Answer()\n' });
    let printed = '';
    expect(checkConfig(dir, (text) => (printed += text))).toBe(0);
    expect(printed).toBe(`${dir}: 0 error(s), 0 warning(s)\n`);
  });
});
