import { describe, expect, it } from 'vitest';
import { buildExtensionsConf } from '../src/index.js';
import type { ConfCategory, ConfDocument, ConfVariable } from '../src/index.js';

function variable(name: string, value: string, line: number, isObject = false): ConfVariable {
  return { file: 'extensions.conf', line, name, value, isObject };
}

function category(name: string, line: number, variables: ConfVariable[], isTemplate = false): ConfCategory {
  return { file: 'extensions.conf', line, name, isTemplate, inherits: [], variables };
}

function documentOf(categories: ConfCategory[]): ConfDocument {
  return { file: 'extensions.conf', categories, diagnostics: [] };
}

describe('buildExtensionsConf', () => {
  it('fills pbx_config defaults when [general] is absent', () => {
    const { config, diagnostics } = buildExtensionsConf(documentOf([]));
    expect(config.general).toEqual({
      static: false,
      writeprotect: false,
      autofallthrough: true,
      extenpatternmatchnew: false,
      clearglobalvars: false,
      userscontext: 'default',
    });
    expect(config.globals).toEqual([]);
    expect(config.contexts).toEqual([]);
    expect(diagnostics).toEqual([]);
  });

  it('separates [general], every [globals] and contexts, skipping templates', () => {
    const globalsA = category('globals', 5, [variable('TRUNK', 'SIP/prov', 6)]);
    const template = category('tpl', 7, [variable('exten', '_X.,1,NoOp()', 8, true)], true);
    const internal = category('internal', 9, [variable('exten', '100,1,Dial(SIP/100)', 10, true)]);
    const globalsB = category('GLOBALS', 11, [variable('OTHER', 'x', 12)]);
    const internalAgain = category('internal', 13, [variable('exten', '101,1,Hangup()', 14, true)]);
    const { config } = buildExtensionsConf(
      documentOf([
        category('general', 1, [variable('autofallthrough', 'no', 2), variable('userscontext', 'users', 3)]),
        globalsA,
        template,
        internal,
        globalsB,
        internalAgain,
      ]),
    );
    expect(config.general.autofallthrough).toBe(false);
    expect(config.general.userscontext).toBe('users');
    expect(config.globals.map((v) => v.name)).toEqual(['TRUNK', 'OTHER']);
    expect(config.contexts).toEqual([internal, internalAgain]);
  });

  it('uses the first value of a repeated option and reports bad values at their line', () => {
    const { config, diagnostics } = buildExtensionsConf(
      documentOf([
        category('general', 1, [
          variable('static', 'yes', 2),
          variable('static', 'no', 3),
          variable('writeprotect', 'maybe', 4),
          variable('colour', 'blue', 5),
        ]),
      ]),
    );
    expect(config.general.static).toBe(true);
    expect(config.general.writeprotect).toBe(false);
    expect(diagnostics).toEqual([
      { severity: 'warning', file: 'extensions.conf', line: 3, message: "'static' repeated in [general]: the first value is used" },
      { severity: 'error', file: 'extensions.conf', line: 4, message: "invalid value 'maybe' for 'writeprotect': expected yes or no" },
      { severity: 'warning', file: 'extensions.conf', line: 5, message: "unknown option 'colour' in [general] of extensions.conf, ignored" },
      { severity: 'warning', file: 'extensions.conf', line: 2, message: 'options parsed but not acted on by Tandem yet: static (extensions.conf:2), writeprotect (extensions.conf:4)' },
    ]);
  });
});
