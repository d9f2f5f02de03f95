/**
 * Data functions (Asterisk 20, funcs/func_db.c, func_math.c, func_rand.c, func_strings.c
 * STRFTIME/STRPTIME, func_logic.c IFTIME, func_env.c, func_md5.c, func_sha1.c,
 * func_base64.c, func_uri.c).
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { DialplanError } from '../dialplan-error.js';
import type { DialplanFunction } from '../engine/function-registry.js';
import { parseTimeSpec } from '../compile/time-spec.js';
import { splitArgs } from '../internal/split-args.js';
import { formatTime, parseTime } from './strftime.js';

function usage(message: string): never {
  throw new DialplanError('invalid-argument', message);
}

/** `family/key` split at the first slash (func_db.c). */
function familyAndKey(args: string, name: string): [string, string] {
  const slash = args.indexOf('/');
  if (slash < 0) usage(`${name} requires an argument, ${name}(<family>/<key>)`);
  return [args.slice(0, slash), args.slice(slash + 1)];
}

const db: DialplanFunction = {
  name: 'DB',
  synopsis: 'Read from or write to the Asterisk database.',
  syntax: 'DB(family/key)',
  async read(session, args) {
    const [family, key] = familyAndKey(args, 'DB');
    const value = session.host.db.get(family, key);
    await session.setVariable('DB_RESULT', value ?? '');
    return value ?? '';
  },
  write(session, args, value) {
    const [family, key] = familyAndKey(args, 'DB');
    session.host.db.put(family, key, value);
  },
};

const dbExists: DialplanFunction = {
  name: 'DB_EXISTS',
  synopsis: 'Check to see if a key exists in the Asterisk database.',
  syntax: 'DB_EXISTS(family/key)',
  async read(session, args) {
    const [family, key] = familyAndKey(args, 'DB_EXISTS');
    const value = session.host.db.get(family, key);
    await session.setVariable('DB_RESULT', value ?? '');
    return value === undefined ? '0' : '1';
  },
};

const dbDelete: DialplanFunction = {
  name: 'DB_DELETE',
  synopsis: 'Return a value from the database and delete it.',
  syntax: 'DB_DELETE(family/key)',
  async read(session, args) {
    const [family, key] = familyAndKey(args, 'DB_DELETE');
    const value = session.host.db.get(family, key);
    if (value === undefined) {
      session.log('debug', `DB_DELETE: ${family}/${key} could not be found to delete.`);
      await session.setVariable('DB_RESULT', '');
      return '';
    }
    session.host.db.delete(family, key);
    await session.setVariable('DB_RESULT', value);
    return value;
  },
};

const dbKeys: DialplanFunction = {
  name: 'DB_KEYS',
  synopsis: 'Obtain a list of keys within the Asterisk database.',
  syntax: 'DB_KEYS([prefix])',
  read: (session, args) => session.host.db.keys(args.replace(/\/+$/, '')).join(','),
};

/** printf("%f"). */
function fixed6(value: number): string {
  return value.toFixed(6);
}

/** sscanf("%lf"): the leading number, or undefined. */
function scanDouble(text: string): number | undefined {
  const match = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:inf|nan))/i.exec(text);
  return match ? Number.parseFloat(match[1] as string) : undefined;
}

const math: DialplanFunction = {
  name: 'MATH',
  synopsis: 'Performs Mathematical Functions.',
  syntax: 'MATH(expression[,type])',
  read(_session, args) {
    const [expressionText = '', typeText = ''] = splitArgs(args, { max: 2 });
    let expression = expressionText.replace(/\s+/g, '');
    let negativeFirst = false;
    if (expression.startsWith('-')) {
      negativeFirst = true;
      expression = expression.slice(1);
    }
    const { operator, index } = findMathOperator(expression);
    if (operator === undefined) usage(`Supplied expression '${expressionText}' not valid`);
    const left = scanDouble(expression.slice(0, index));
    const right = scanDouble(expression.slice(index + operator.length));
    if (left === undefined || right === undefined) usage(`Supplied expression '${expressionText}' not valid`);
    const a = negativeFirst ? -left : left;
    const b = right;
    let result: number;
    switch (operator) {
      case '*':
        result = a * b;
        break;
      case '/':
        if (b === 0) usage('Attempt to divide by zero');
        result = a / b;
        break;
      case '%':
        if (b === 0) usage('Attempt to divide by zero');
        result = Math.trunc(a) % Math.trunc(b);
        break;
      case '^':
        result = a ** b;
        break;
      case 'AND':
        result = Math.trunc(a) & Math.trunc(b);
        break;
      case 'OR':
        result = Math.trunc(a) | Math.trunc(b);
        break;
      case 'XOR':
        result = Math.trunc(a) ^ Math.trunc(b);
        break;
      case '>>':
        result = Math.trunc(a) >> Math.trunc(b);
        break;
      case '<<':
        result = Math.trunc(a) << Math.trunc(b);
        break;
      case '>':
        return a > b ? 'TRUE' : 'FALSE';
      case '>=':
        return a >= b ? 'TRUE' : 'FALSE';
      case '<':
        return a < b ? 'TRUE' : 'FALSE';
      case '<=':
        return a <= b ? 'TRUE' : 'FALSE';
      case '==':
        return a === b ? 'TRUE' : 'FALSE';
      case '+':
        result = a + b;
        break;
      default:
        result = a - b;
    }
    switch (typeText.trim().toLowerCase()) {
      case 'i':
      case 'int':
        return String(Math.trunc(result) | 0);
      case 'h':
      case 'hex':
        return (Math.trunc(result) >>> 0).toString(16);
      case 'c':
      case 'char':
        return String.fromCharCode(Math.trunc(result) & 0xff);
      default:
        return fixed6(result);
    }
  },
};

/** The operator func_math.c finds first, in its order of checks. */
function findMathOperator(expression: string): { operator: string | undefined; index: number } {
  for (const candidate of ['*', '/', '%', '^', 'AND', 'XOR', 'OR']) {
    const index = expression.indexOf(candidate);
    if (index >= 0) return { operator: candidate, index };
  }
  for (const angle of ['>', '<']) {
    const index = expression.indexOf(angle);
    if (index < 0) continue;
    const next = expression[index + 1];
    if (next === '=') return { operator: `${angle}=`, index };
    if (next === angle) return { operator: `${angle}${angle}`, index };
    return { operator: angle, index };
  }
  const equals = expression.indexOf('=');
  if (equals >= 0) return expression[equals + 1] === '=' ? { operator: '==', index: equals } : { operator: undefined, index: -1 };
  for (const candidate of ['+', '-']) {
    const index = expression.indexOf(candidate);
    if (index >= 0) return { operator: candidate, index };
  }
  return { operator: undefined, index: -1 };
}

function crement(name: 'INC' | 'DEC'): DialplanFunction {
  return {
    name,
    synopsis: name === 'INC' ? 'Increments the value of a variable, while returning the updated value to the dialplan' : 'Decrements the value of a variable, while returning the updated value to the dialplan',
    syntax: `${name}(variable)`,
    async read(session, args) {
      if (args === '') usage(`Syntax: ${name}(<data>) - missing argument!`);
      const value = session.getVariable(args);
      if (value === undefined || value === '') usage(`Variable ${args} doesn't exist - are you sure you wrote it correctly?`);
      if (!/^\s*[+-]?\d+$/.test(value)) usage(`The content of \${${args}} is not a numeric value - bailing out!`);
      const next = String(Number.parseInt(value, 10) + (name === 'INC' ? 1 : -1));
      await session.setVariable(args, next);
      return next;
    },
  };
}

function minMax(name: 'MIN' | 'MAX'): DialplanFunction {
  return {
    name,
    synopsis: name === 'MIN' ? 'Returns the minimum of two numbers.' : 'Returns the maximum of two numbers.',
    syntax: `${name}([num1,[num2]])`,
    read(_session, args) {
      const [first = '', second = ''] = splitArgs(args, { max: 2 });
      if (first === '' && second === '') usage('Missing argument for number(s).');
      const a = first === '' ? undefined : scanDouble(first);
      const b = second === '' ? a : scanDouble(second);
      if ((first !== '' && a === undefined) || b === undefined) usage(`'${args}' is not a valid number`);
      const result = a === undefined ? b : name === 'MIN' ? Math.min(a, b) : Math.max(a, b);
      return Number.isInteger(result) ? String(result) : fixed6(result);
    },
  };
}

const abs: DialplanFunction = {
  name: 'ABS',
  synopsis: 'Returns absolute value of a number.',
  syntax: 'ABS([number])',
  read(_session, args) {
    const value = scanDouble(args);
    if (value === undefined) usage(`'${args}' is not a valid number`);
    const result = Math.abs(value);
    return Number.isInteger(result) ? String(result) : fixed6(result);
  },
};

const RAND_MAX = 2147483647;

const rand: DialplanFunction = {
  name: 'RAND',
  synopsis: 'Choose a random number in a range.',
  syntax: 'RAND([min,[max]])',
  read(_session, args) {
    const [minText = '', maxText = ''] = splitArgs(args, { max: 2 });
    let min = Number.parseInt(minText, 10);
    let max = Number.parseInt(maxText, 10);
    if (!Number.isFinite(min)) min = 0;
    if (!Number.isFinite(max)) max = RAND_MAX;
    if (max < min) [min, max] = [max, min];
    return String(min + Math.floor(Math.random() * (max - min + 1)));
  },
};

const strftime: DialplanFunction = {
  name: 'STRFTIME',
  synopsis: 'Returns the current date/time in the specified format.',
  syntax: 'STRFTIME([epoch[,timezone[,format]]])',
  read(session, args) {
    const [epochText = '', zone = '', format = ''] = splitArgs(args, { max: 3 });
    const seconds = epochText.trim() === '' ? session.host.now().getTime() / 1000 : Number.parseFloat(epochText);
    const when = new Date((Number.isFinite(seconds) ? seconds : 0) * 1000);
    return formatTime(when, format === '' ? '%c' : format, zone.trim() === '' ? undefined : zone.trim());
  },
};

const strptime: DialplanFunction = {
  name: 'STRPTIME',
  synopsis: 'Returns the epoch of the arbitrary date/time string structured as described by the format.',
  syntax: 'STRPTIME(datetime,timezone,format)',
  read(_session, args) {
    const [text = '', zone = '', format = ''] = splitArgs(args, { max: 3 });
    if (format === '') usage('STRPTIME requires a format');
    const parsed = parseTime(text, format, zone.trim() === '' ? undefined : zone.trim());
    if (parsed === undefined) usage(`C function strptime() output nothing?!!`);
    return String(Math.floor(parsed.getTime() / 1000));
  },
};

const ifTime: DialplanFunction = {
  name: 'IFTIME',
  synopsis: 'Temporal Conditional.',
  syntax: 'IFTIME(timespec?[true]:[false])',
  read(session, args) {
    const question = args.indexOf('?');
    if (question < 0) usage('Syntax IFTIME(<timespec>?[<true>][:<false>])');
    const [ifTrue = '', ifFalse = ''] = splitArgs(args.slice(question + 1), { delimiter: ':', max: 2 });
    const problems: { message: string }[] = [];
    const spec = parseTimeSpec(args.slice(0, question).trim(), problems);
    for (const problem of problems) session.log('warning', problem.message);
    return spec.matches(session.host.now()) ? ifTrue.trim() : ifFalse.trim();
  },
};

const env: DialplanFunction = {
  name: 'ENV',
  synopsis: 'Gets or sets the environment variable specified.',
  syntax: 'ENV(varname)',
  read: (_session, args) => process.env[args] ?? '',
  write(_session, args, value) {
    if (value === '') delete process.env[args];
    else process.env[args] = value;
  },
};

const stat: DialplanFunction = {
  name: 'STAT',
  synopsis: 'Does a check on the specified file.',
  syntax: 'STAT(flag,filename)',
  read(_session, args) {
    const [flag = '', file = ''] = splitArgs(args, { max: 2 });
    let info;
    try {
      info = statSync(file);
    } catch {
      return '0';
    }
    switch (flag.trim()) {
      case 'e':
        return '1';
      case 's':
        return String(info.size);
      case 'f':
        return info.isFile() ? '1' : '0';
      case 'd':
        return info.isDirectory() ? '1' : '0';
      case 'M':
        return String(Math.floor(info.mtimeMs / 1000));
      case 'A':
        return String(Math.floor(info.atimeMs / 1000));
      case 'C':
        return String(Math.floor(info.ctimeMs / 1000));
      case 'm':
        return (info.mode & 0o7777).toString(8).padStart(4, '0');
      default:
        usage(`Unknown STAT flag '${flag}'`);
    }
  },
};

function digest(name: 'MD5' | 'SHA1'): DialplanFunction {
  return {
    name,
    synopsis: `Computes ${name === 'MD5' ? 'an MD5' : 'a SHA1'} digest.`,
    syntax: `${name}(data)`,
    read(_session, args) {
      if (args === '') usage(`Syntax: ${name}(<data>) - missing argument!`);
      return createHash(name === 'MD5' ? 'md5' : 'sha1').update(args, 'latin1').digest('hex');
    },
  };
}

const base64Encode: DialplanFunction = {
  name: 'BASE64_ENCODE',
  synopsis: 'Encode a string in base64.',
  syntax: 'BASE64_ENCODE(string)',
  read: (_session, args) => Buffer.from(args, 'latin1').toString('base64'),
};

const base64Decode: DialplanFunction = {
  name: 'BASE64_DECODE',
  synopsis: 'Decode a base64 string.',
  syntax: 'BASE64_DECODE(string)',
  read: (_session, args) => Buffer.from(args, 'base64').toString('latin1'),
};

const uriEncode: DialplanFunction = {
  name: 'URIENCODE',
  synopsis: 'Encodes a string to URI-safe encoding according to RFC 2396.',
  syntax: 'URIENCODE(data)',
  // ast_uri_encode() with ast_uri_http: unreserved characters stay, the rest become %XX.
  read: (_session, args) => [...Buffer.from(args, 'utf8')].map((byte) => (/[A-Za-z0-9\-_.!~*'()]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join(''),
};

const uriDecode: DialplanFunction = {
  name: 'URIDECODE',
  synopsis: 'Decodes a URI-encoded string according to RFC 2396.',
  syntax: 'URIDECODE(data)',
  read(_session, args) {
    const bytes: number[] = [];
    for (let i = 0; i < args.length; i++) {
      const hex = args.slice(i + 1, i + 3);
      if (args[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(args[i] as string, 'utf8'));
      }
    }
    return Buffer.from(bytes).toString('utf8');
  },
};

/** The data functions. */
export const dataFunctions: readonly DialplanFunction[] = [
  db,
  dbExists,
  dbDelete,
  dbKeys,
  math,
  crement('INC'),
  crement('DEC'),
  minMax('MIN'),
  minMax('MAX'),
  abs,
  rand,
  strftime,
  strptime,
  ifTime,
  env,
  stat,
  digest('MD5'),
  digest('SHA1'),
  base64Encode,
  base64Decode,
  uriEncode,
  uriDecode,
];

