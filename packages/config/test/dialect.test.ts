import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConf, readConfFile } from '../src/index.js';
import type { ConfCategory, ConfDocument } from '../src/index.js';

const CORPUS = join(import.meta.dirname, 'corpus', 'dialect');

/** `name=value` pairs of a category, for compact assertions. */
function pairs(category: ConfCategory | undefined): string[] {
  return (category?.variables ?? []).map((v) => `${v.name}${v.isObject ? '=>' : '='}${v.value}`);
}

function categoryAt(doc: ConfDocument, name: string, occurrence = 0): ConfCategory | undefined {
  return doc.categories.filter((c) => c.name === name)[occurrence];
}

/** Diagnostics as `file:line:column severity message` strings. */
function located(doc: ConfDocument): string[] {
  return doc.diagnostics.map((d) => `${d.file}:${d.line}:${d.column ?? '-'} ${d.severity} ${d.message}`);
}

describe('the .conf dialect on the corpus', () => {
  const basic = readConfFile(CORPUS, 'basic.conf');

  it('reads a clean file without diagnostics', () => {
    expect(basic.missing).toBe(false);
    expect(located(basic.document)).toEqual([]);
    expect(basic.document.categories.map((c) => c.name)).toEqual([
      'general',
      'phone-base',
      'office-phone',
      '100',
      '101',
      '100',
      'trunk',
      '192.168.1.10',
    ]);
  });

  it('strips comments, keeps escaped semicolons and trims around =', () => {
    expect(pairs(categoryAt(basic.document, 'general'))).toEqual([
      'context=public',
      'allow=>ulaw',
      'allow=alaw',
      'disallow=g729',
      'useragent=Tandem; PBX',
      'notes=a',
    ]);
    expect(categoryAt(basic.document, 'general')).toMatchObject({ file: 'basic.conf', line: 5, column: 1 });
    expect(categoryAt(basic.document, 'general')?.variables[3]).toMatchObject({ line: 9, column: 2 });
  });

  it('applies templates and multi-level inheritance with own lines last', () => {
    const base = categoryAt(basic.document, 'phone-base');
    expect(base?.isTemplate).toBe(true);
    const office = categoryAt(basic.document, 'office-phone');
    expect(office).toMatchObject({ isTemplate: true, inherits: ['phone-base'] });
    const first100 = categoryAt(basic.document, '100');
    expect(first100?.isTemplate).toBe(false);
    expect(first100?.inherits).toEqual(['office-phone']);
    expect(pairs(first100)).toEqual([
      'type=friend',
      'host=dynamic',
      'qualify=yes',
      'context=office',
      'callerid="Office" <100>',
      'secret=s3cret',
      'qualify=no',
      'mailbox=100@default',
    ]);
    // Inherited lines keep the location where the template wrote them.
    expect(first100?.variables[0]).toMatchObject({ file: 'basic.conf', line: 14 });
    // Inheriting two bases copies both, in the order written.
    expect(pairs(categoryAt(basic.document, '101'))).toEqual([
      'type=friend',
      'host=dynamic',
      'qualify=yes',
      'type=friend',
      'host=dynamic',
      'qualify=yes',
      'context=office',
      'callerid="Office" <100>',
      'secret=other',
    ]);
  });

  it('keeps a repeated section name as a separate category and (+) appends to the first', () => {
    expect(pairs(categoryAt(basic.document, '100', 1))).toEqual(['secret=second-section']);
  });

  it('handles +=, => and a leading backslash escape', () => {
    expect(pairs(categoryAt(basic.document, 'trunk'))).toEqual([
      'type=peer',
      // `+=` appends the raw text after it, leading space included (main/config.c).
      'setvar=A=1 ,B=2',
      'permit=>10.0.0.0/8',
      ';literal=semicolon name',
    ]);
    expect(pairs(categoryAt(basic.document, '192.168.1.10'))).toEqual(['type=peer']);
  });

  it('reports every error kind with file:line:column and drops failed sections', () => {
    const { document } = readConfFile(CORPUS, 'errors.conf');
    expect(located(document)).toEqual([
      'errors.conf:1:1 error parse error: no category context for this line (it comes before any [section])',
      "errors.conf:3:1 warning no '=' (equal sign) on this line, ignored",
      'errors.conf:4:1 warning no variable name on this line, ignored',
      'errors.conf:5:1 error invalid escape: a leading \\ must be followed by a visible character',
      "errors.conf:6:1 error parse error: no closing ']'",
      "errors.conf:7:1 error parse error: no closing ')'",
      "errors.conf:8:1 error inheritance requested, but category 'missing-template' does not exist",
      "errors.conf:12:1 error category addition requested, but category 'x' does not exist",
      "errors.conf:13:1 error category addition requested, but category 'nosuch' does not exist",
      "errors.conf:15:1 warning unknown directive '#frobnicate', ignored",
      "errors.conf:16:1 warning directive '#include' needs an argument (filename)",
      "errors.conf:18:7 error '--;' closes a block comment that was never opened (Asterisk would ignore the rest of the file)",
    ]);
    expect(document.categories.map((c) => c.name)).toEqual(['general', 'late-template']);
    expect(pairs(categoryAt(document, 'late-template'))).toEqual(['x=1']);
  });

  it('follows includes with globs in sorted order, brace alternatives in written order', () => {
    const { document } = readConfFile(CORPUS, 'include-main.conf');
    expect(located(document)).toEqual([]);
    expect(document.categories.map((c) => `${c.name}@${c.file}:${c.line}`)).toEqual([
      'general@include-main.conf:1',
      'alice@peers/a.conf:3',
      'bob@peers/b.conf:1',
      'alice@peers/a.conf:3',
    ]);
    // a.conf starts in the includer's section; the includer then continues in its own.
    expect(pairs(categoryAt(document, 'general'))).toEqual(['bindport=5062', 'from_a=1', 'after_include=back in general']);
    // sub/extra.conf appends to bob; the second a.conf starts in bob (cfg->current).
    expect(pairs(categoryAt(document, 'bob'))).toEqual(['type=friend', 'nat=force_rport', 'from_a=1']);
    expect(document.sourceFiles?.map((path) => path.slice(CORPUS.length + 1))).toEqual([
      'include-main.conf',
      'peers/a.conf',
      'peers/b.conf',
      'peers/sub/extra.conf',
    ]);
  });

  it('reports an include cycle clearly', () => {
    const { document } = readConfFile(CORPUS, 'cycle-a.conf');
    expect(located(document)).toEqual([
      'cycle-b.conf:2:1 error #include cycle: cycle-a.conf -> cycle-b.conf -> cycle-a.conf',
    ]);
  });

  it('fails on a missing #include, not on a missing #tryinclude, and refuses #exec by default', () => {
    const { document } = readConfFile(CORPUS, 'missing-include.conf');
    expect(located(document)).toEqual([
      "missing-include.conf:2:1 error the file 'nowhere.conf' was listed as a #include but it does not exist",
      "missing-include.conf:3:1 error the file 'nowhere-*.conf' was listed as a #include but it does not exist",
      'missing-include.conf:5:1 warning cannot perform #exec unless execincludes option is enabled in asterisk.conf (options section)',
    ]);
  });

  it('reports a missing top-level file distinctly', () => {
    const result = readConfFile(CORPUS, 'no-such-file.conf');
    expect(result).toEqual({ missing: true, document: { file: 'no-such-file.conf', categories: [], diagnostics: [] } });
    const directory = readConfFile(CORPUS, 'peers');
    expect(directory.missing).toBe(false);
    expect(located(directory.document)).toEqual(["peers:0:- error 'peers' is not a regular file"]);
  });
});

describe('the .conf dialect on generated text', () => {
  it('ignores a UTF-8 BOM and CRLF line ends', () => {
    const doc = parseConf('\uFEFF[general]\r\ncontext = a \r\n', { file: 'x.conf' });
    expect(pairs(doc.categories[0])).toEqual(['context=a']);
    expect(doc.diagnostics).toEqual([]);
  });

  it('skips a line over 8190 bytes with a warning and keeps reading', () => {
    const long = `x=${'é'.repeat(4095)}`; // 2 + 8190 bytes
    const doc = parseConf(`[a]\n${long}\ny=1\n`, { file: 'x.conf' });
    expect(pairs(doc.categories[0])).toEqual(['y=1']);
    expect(doc.diagnostics).toMatchObject([{ severity: 'warning', line: 2, column: 1 }]);
    expect(doc.diagnostics[0]?.message).toMatch(/^line too long \(over 8190 bytes\), skipped; it begins with: x=é/);
    const fits = `x=${'a'.repeat(8188)}`;
    expect(pairs(parseConf(`[a]\n${fits}\n`, { file: 'x.conf' }).categories[0])).toHaveLength(1);
  });

  it('nests block comments, does not open one with ;--- and warns when one is left open', () => {
    const doc = parseConf('[a]\n;--- not a block\nx=1 ;-- one ;-- two --; still one --; y=2\nz=3 ;-- open\n', {
      file: 'x.conf',
    });
    expect(pairs(doc.categories[0])).toEqual(['x=1  y=2', 'z=3']);
    expect(doc.diagnostics).toEqual([
      { severity: 'warning', file: 'x.conf', line: 4, column: 5, message: 'unterminated comment detected beginning on line 4' },
    ]);
  });

  it('marks template and append flags together: [x](!,+) turns the existing x into a template', () => {
    const doc = parseConf('[x]\na=1\n[x](!,+)\nb=2\n', { file: 'x.conf' });
    expect(doc.categories).toHaveLength(1);
    expect(doc.categories[0]).toMatchObject({ isTemplate: true });
    expect(pairs(doc.categories[0])).toEqual(['a=1', 'b=2']);
  });

  it('reproduces ast_variable_update() for += on a repeated name', () => {
    const doc = parseConf('[x]\nallow=ulaw\nAllow=gsm\nallow=ULAW\nallow+=,g722\n', { file: 'x.conf' });
    // The last `allow` (exact spelling) is ULAW; the first line with that name and value (any case) is replaced.
    expect(pairs(doc.categories[0])).toEqual(['allow=ULAW,g722', 'Allow=gsm', 'allow=ULAW']);
    expect(doc.categories[0]?.variables[0]).toMatchObject({ line: 2 });
  });

  it('finds category filters in (+filter) like does_category_match()', () => {
    const doc = parseConf('[p]\ntype=user\n[p]\ntype=peer\n[p](+type=peer)\nhost=dynamic\n[p](+type=^nope$)\n', {
      file: 'x.conf',
    });
    expect(pairs(doc.categories[1])).toEqual(['type=peer', 'host=dynamic']);
    expect(doc.diagnostics.map((d) => `${d.line} ${d.message}`)).toEqual([
      "7 category addition requested, but category 'p' does not exist",
    ]);
  });

  it('keeps names untrimmed inside brackets and options, as Asterisk does', () => {
    const doc = parseConf('[t](!)\n[ a ](!, t)\n', { file: 'x.conf' });
    expect(doc.diagnostics.map((d) => d.message)).toEqual(["inheritance requested, but category ' t' does not exist"]);
  });

  it('asks for a config dir before following #include in parseConf()', () => {
    const doc = parseConf('[a]\n#include b.conf\n', { file: 'x.conf' });
    expect(doc.diagnostics.map((d) => d.message)).toEqual([
      '#include needs a config directory: read the file with readConfFile()',
    ]);
  });
});

describe('includes on a generated tree', () => {
  function tree(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-config-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }

  it('allows ten nested includes and refuses the eleventh', () => {
    const files: Record<string, string> = { 'top.conf': '[a]\n#include level1.conf\n' };
    for (let level = 1; level <= 11; level++) files[`level${level}.conf`] = `l${level}=1\n#include level${level + 1}.conf\n`;
    files['level12.conf'] = 'never=1\n';
    const { document } = readConfFile(tree(files), 'top.conf');
    expect(pairs(document.categories[0])).toEqual(Array.from({ length: 10 }, (_, i) => `l${i + 1}=1`));
    expect(document.diagnostics.map((d) => `${d.file}:${d.line} ${d.severity} ${d.message}`)).toEqual([
      'level10.conf:2 error maximum include level (10) exceeded by #include level11.conf',
    ]);
  });

  it('runs #exec when execincludes is on and includes its standard output', () => {
    const dir = tree({ 'sip.conf': '[general]\n#exec "printf \'generated=1\\n[gen]\\ntype=peer\\n\'"\nafter=1\n' });
    const { document } = readConfFile(dir, 'sip.conf', { execIncludes: true });
    expect(document.diagnostics).toEqual([]);
    expect(document.categories.map((c) => `${c.name}@${c.file}`)).toEqual([
      'general@sip.conf',
      `gen@#exec printf 'generated=1\\n[gen]\\ntype=peer\\n'`,
    ]);
    expect(pairs(document.categories[0])).toEqual(['generated=1', 'after=1']);
  });

  it('parseConf() with configDir resolves includes against it', () => {
    const dir = tree({ 'extra.conf': 'b=2\n' });
    const doc = parseConf('[a]\na=1\n#include extra.conf\n', { file: 'sip.conf', configDir: dir });
    expect(pairs(doc.categories[0])).toEqual(['a=1', 'b=2']);
    expect(doc.categories[0]?.variables[1]).toMatchObject({ file: 'extra.conf', line: 1 });
  });
});
