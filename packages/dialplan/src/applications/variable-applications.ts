/**
 * Variable applications (Asterisk 20, main/pbx_variables.c Set/MSet, apps/app_stack.c...
 * ImportVar from main/pbx_builtins.c) and the legacy SetVar and Cut applications with their
 * Asterisk 1.2 semantics (reference §10.8: Asterisk 20 no longer has them; Tandem does).
 */
import type { ApplicationResult, DialplanApplication } from '../engine/application-registry.js';
import type { DialplanSession } from '../engine/dialplan-session.js';
import { cutFields } from '../functions/string-functions.js';
import { decodeDelimiter } from '../internal/encoded-char.js';
import { splitArgs } from '../internal/split-args.js';
import { readVariable } from '../variables/channel-variables.js';

function warnSpaces(session: DialplanSession, name: string, value: string): void {
  if (name.includes(' ')) {
    session.log('warning', `Please avoid unnecessary spaces on variables as it may lead to unexpected results ('${name}' set to '${value}').`);
  }
}

const set: DialplanApplication = {
  name: 'Set',
  synopsis: 'Set channel variable or function value.',
  syntax: 'Set(name=value)',
  description: 'Everything after the first `=` is the value (commas included). A name ending in `)` writes a function; `Set(cNum = x)` creates "cNum " with the space, as Asterisk does.',
  async execute(session, data): Promise<ApplicationResult> {
    if (data === '') {
      session.log('warning', 'Set requires one variable name/value pair.');
      return 'continue';
    }
    const equals = data.indexOf('=');
    if (equals < 0) {
      session.log('warning', "Set requires an '=' to be a valid assignment.");
      return 'continue';
    }
    const name = data.slice(0, equals);
    const value = data.slice(equals + 1);
    warnSpaces(session, name, value);
    await session.setVariable(name, value);
    return 'continue';
  },
};

const mset: DialplanApplication = {
  name: 'MSet',
  synopsis: 'Set channel variable(s) or function value(s).',
  syntax: 'MSet(name1=value1,name2=value2)',
  async execute(session, data): Promise<ApplicationResult> {
    if (data === '') {
      session.log('warning', 'MSet requires at least one variable name/value pair.');
      return 'continue';
    }
    for (const pair of splitArgs(data, { max: 99 })) {
      const [name = '', value] = splitArgs(pair, { delimiter: '=', max: 2 });
      if (value === undefined) {
        session.log('warning', `MSet: ignoring entry '${name}' with no '=' (in ${session.exten}@${session.context}:${session.priority}`);
        continue;
      }
      await session.setVariable(name, value);
      warnSpaces(session, name, value);
    }
    return 'continue';
  },
};

const setVar: DialplanApplication = {
  name: 'SetVar',
  synopsis: 'Set channel variable(s) (legacy Asterisk 1.2 application).',
  syntax: 'SetVar(name1=value1[|name2=value2[|...]][|options])',
  description: 'Asterisk 1.2 semantics: assignments separated by `|`; option `g` sets them as globals. Removed from Asterisk 20; use Set().',
  async execute(session, data): Promise<ApplicationResult> {
    if (data === '') {
      session.log('warning', 'SetVar requires at least one variable name/value pair.');
      return 'continue';
    }
    session.log('notice', 'SetVar is a legacy application (Asterisk 1.2); use Set() instead');
    const parts = data.split('|');
    const global = parts.length > 1 && !(parts.at(-1) as string).includes('=') && (parts.at(-1) as string).includes('g');
    if (global) parts.pop();
    for (const part of parts) {
      const equals = part.indexOf('=');
      if (equals < 0) {
        session.log('warning', `SetVar: ignoring entry '${part}' with no '='`);
        continue;
      }
      const name = part.slice(0, equals).trim();
      const value = part.slice(equals + 1);
      if (global) await session.writeFunction(`GLOBAL(${name})`, value);
      else await session.setVariable(name, value);
    }
    return 'continue';
  },
};

const cut: DialplanApplication = {
  name: 'Cut',
  synopsis: 'Splits a variable\'s contents using the specified delimiter (legacy application).',
  syntax: 'Cut(newvar=varname,delimiter,fieldspec)',
  description: 'Asterisk 1.2 semantics: newvar = the fields of ${varname} split by delimiter (default `-`). Removed from Asterisk 20; use CUT(). `|` also separates the arguments.',
  async execute(session, data): Promise<ApplicationResult> {
    const equals = data.indexOf('=');
    if (equals < 0) {
      session.log('error', 'Cut requires: newvar=varname,delimiter,fieldspec');
      return 'continue';
    }
    const target = data.slice(0, equals).trim();
    const rest = data.slice(equals + 1);
    const args = !rest.includes(',') && rest.includes('|') ? rest.split('|') : splitArgs(rest, { max: 3 });
    const [source = '', delimiter = '', fields = '1'] = args;
    const value = session.getVariable(source.trim()) ?? '';
    try {
      await session.setVariable(target, cutFields(value, decodeDelimiter(delimiter, '-'), fields));
    } catch (error) {
      session.log('error', (error as Error).message);
    }
    return 'continue';
  },
};

const importVar: DialplanApplication = {
  name: 'ImportVar',
  synopsis: 'Import a variable from a channel into a new variable.',
  syntax: 'ImportVar(newvar=channelname,variable)',
  async execute(session, data): Promise<ApplicationResult> {
    const equals = data.indexOf('=');
    const [channelName = '', variable = ''] = equals < 0 ? [] : splitArgs(data.slice(equals + 1), { max: 2 });
    if (equals < 0 || channelName === '' || variable === '') {
      session.log('warning', 'ImportVar requires a variable name and a channel: ImportVar(newvar=channelname,variable)');
      return 'continue';
    }
    const other = channelName === session.channel.name ? session.channel : session.host.findChannel?.(channelName);
    let value = '';
    if (other) value = readVariable(other.variables, variable) ?? '';
    else session.log('warning', `Channel '${channelName}' not found`);
    await session.setVariable(data.slice(0, equals), value);
    return 'continue';
  },
};

/** The variable applications. */
export const variableApplications: readonly DialplanApplication[] = [set, mset, setVar, cut, importVar];
