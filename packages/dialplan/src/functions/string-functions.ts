/**
 * String functions (Asterisk 20, funcs/func_strings.c, funcs/func_cut.c, funcs/func_logic.c).
 */
import type { DialplanFunction } from '../engine/function-registry.js';
import type { DialplanSession } from '../engine/dialplan-session.js';
import { DialplanError } from '../dialplan-error.js';
import { compilePosixRegex } from '../expression/posix-regex.js';
import { decodeDelimiter, decodeEncodedChar } from '../internal/encoded-char.js';
import { splitArgs } from '../internal/split-args.js';

/** The value of the variable named `name` (`${name}` substituted, as these functions do). */
function valueOf(session: DialplanSession, name: string): Promise<string> {
  return session.substitute(`\${${name}}`);
}

function usage(message: string): never {
  throw new DialplanError('invalid-argument', message);
}

/** CUT(varname,delimiter,fields) on a value (cut_internal()). */
export function cutFields(value: string, delimiter: string, fieldSpec: string): string {
  if (value === '') return '';
  const fields = value.split(delimiter);
  let position = 0; // index of the next unconsumed field
  const out: string[] = [];
  for (const range of fieldSpec.split('&')) {
    let start: number;
    let stop: number;
    let match: RegExpExecArray | null;
    if ((match = /^\s*([+-]?\d+)-\s*([+-]?\d+)/.exec(range))) {
      start = Number(match[1]);
      stop = Number(match[2]);
    } else if ((match = /^-\s*([+-]?\d+)/.exec(range))) {
      start = 1;
      stop = Number(match[1]);
    } else if ((match = /^\s*([+-]?\d+)-/.exec(range))) {
      start = Number(match[1]);
      stop = Number.MAX_SAFE_INTEGER;
    } else if ((match = /^\s*([+-]?\d+)/.exec(range))) {
      start = Number(match[1]);
      stop = start;
    } else {
      usage('Usage: CUT(<varname>,<char-delim>,<range-spec>)');
    }
    if (position < start - 1) position = Math.min(start - 1, fields.length);
    while (position < fields.length && position + 1 <= stop) out.push(fields[position++] as string);
    if (position >= fields.length) break;
  }
  return out.join(delimiter);
}

const len: DialplanFunction = {
  name: 'LEN',
  synopsis: 'Return the length of the string given.',
  syntax: 'LEN(string)',
  read: (_session, args) => String(args.length),
};

const cut: DialplanFunction = {
  name: 'CUT',
  synopsis: 'Slices and dices strings, based upon a named delimiter.',
  syntax: 'CUT(varname,char-delim,range-spec)',
  async read(session, args) {
    const [name, delimiter, fields] = splitArgs(args, { max: 3 });
    if (name === undefined || delimiter === undefined || fields === undefined) usage('Syntax: CUT(<varname>,<char-delim>,<range-spec>) - missing argument!');
    return cutFields(await valueOf(session, name), decodeDelimiter(delimiter, '-'), fields);
  },
};

const fieldQty: DialplanFunction = {
  name: 'FIELDQTY',
  synopsis: 'Count the fields with an arbitrary delimiter',
  syntax: 'FIELDQTY(varname,delim)',
  async read(session, args) {
    const [name = '', delimiterText] = splitArgs(args, { max: 2 });
    if (delimiterText === undefined) return '1';
    const value = await valueOf(session, name);
    return value === '' ? '0' : String(value.split(decodeDelimiter(delimiterText, '')).length);
  },
};

const fieldNum: DialplanFunction = {
  name: 'FIELDNUM',
  synopsis: 'Return the 1-based offset of a field in a list',
  syntax: 'FIELDNUM(varname,delim,field)',
  async read(session, args) {
    const [name = '', delimiterText, field] = splitArgs(args, { max: 3 });
    if (delimiterText === undefined || field === undefined) usage('Usage: FIELDNUM(<listname>,<delimiter>,<fieldvalue>)');
    const value = await valueOf(session, name);
    if (value === '') return '0';
    return String(value.split(decodeDelimiter(delimiterText, ',')).indexOf(field) + 1);
  },
};

const listFilter: DialplanFunction = {
  name: 'LISTFILTER',
  synopsis: 'Remove an item from a list, by name.',
  syntax: 'LISTFILTER(varname,delim,value)',
  async read(session, args) {
    const [name = '', delimiterText, remove] = splitArgs(args, { max: 3 });
    if (delimiterText === undefined || remove === undefined) usage('Usage: LISTFILTER(<listname>,<delimiter>,<fieldvalue>)');
    const delimiter = decodeDelimiter(delimiterText, ',');
    const value = await valueOf(session, name);
    return value.split(delimiter).filter((item) => item !== remove).join(delimiter);
  },
};

const filter: DialplanFunction = {
  name: 'FILTER',
  synopsis: 'Filter the string to include only the allowed characters',
  syntax: 'FILTER(allowed-chars,string)',
  read(_session, args) {
    const [allowedText = '', text] = splitArgs(args, { removeChars: false, max: 2 });
    if (text === undefined) usage('Usage: FILTER(<allowed-chars>,<string>)');
    const allowed = new Set<number>();
    let rest = allowedText;
    while (rest !== '') {
      const first = decodeEncodedChar(rest);
      if (!first) break;
      rest = rest.slice(first.consumed);
      if (rest.startsWith('-') && rest.length > 1) {
        const second = decodeEncodedChar(rest.slice(1)) ?? first;
        rest = rest.slice(1 + second.consumed);
        for (let c = first.char.charCodeAt(0); c !== second.char.charCodeAt(0); c = (c + 1) % 256) allowed.add(c);
        allowed.add(second.char.charCodeAt(0));
      } else {
        allowed.add(first.char.charCodeAt(0));
      }
    }
    return [...text].filter((char) => allowed.has(char.charCodeAt(0))).join('');
  },
};

const replace: DialplanFunction = {
  name: 'REPLACE',
  synopsis: 'Replace a set of characters in a given string with another character.',
  syntax: 'REPLACE(varname,find-chars[,replace-char])',
  async read(session, args) {
    const [name = '', find = '', replacement = ''] = splitArgs(args, { max: 3 });
    if (find === '') usage('The characters to search for are a required argument');
    const value = await valueOf(session, name);
    const set = new Set(find);
    return [...value].map((char) => (set.has(char) ? replacement.slice(0, 1) : char)).join('');
  },
};

const strReplace: DialplanFunction = {
  name: 'STRREPLACE',
  synopsis: 'Replace instances of a substring within a string with another string.',
  syntax: 'STRREPLACE(varname,find-string[,replace-string[,max-replacements]])',
  async read(session, args) {
    const [name = '', find = '', replacement = '', maxText = ''] = splitArgs(args, { max: 4 });
    if (find === '') usage('No substring given to find');
    const limit = maxText === '' ? Infinity : Number.parseInt(maxText, 10);
    let value = await valueOf(session, name);
    let out = '';
    let count = 0;
    for (let index = value.indexOf(find); index >= 0 && count < limit; index = value.indexOf(find)) {
      out += value.slice(0, index) + replacement;
      value = value.slice(index + find.length);
      count++;
    }
    return out + value;
  },
};

const strBetween: DialplanFunction = {
  name: 'STRBETWEEN',
  synopsis: 'Inserts a substring between each character in a string.',
  syntax: 'STRBETWEEN(varname,insert-string)',
  async read(session, args) {
    const [name = '', insert = ''] = splitArgs(args, { max: 2 });
    return [...(await valueOf(session, name))].join(insert);
  },
};

function trimmer(name: string, synopsis: string, trim: (text: string) => string): DialplanFunction {
  return { name, synopsis, syntax: `${name}(string)`, read: (_session, args) => trim(args) };
}

const regex: DialplanFunction = {
  name: 'REGEX',
  synopsis: 'Check string against a regular expression.',
  syntax: 'REGEX("regular expression" string)',
  read(_session, args) {
    const parts = splitArgs(args, { delimiter: '"', max: 3 });
    if (parts.length !== 3) usage('Unexpected arguments: should have been in the form \'"<regex>" <string>\'');
    let subject = parts[2] as string;
    if (subject.startsWith(' ') || subject.startsWith('\t')) subject = subject.slice(1);
    let pattern: RegExp;
    try {
      pattern = compilePosixRegex(parts[1] as string);
    } catch (error) {
      usage(`Malformed input REGEX(${args}): ${(error as Error).message}`);
    }
    return pattern.test(subject) ? '1' : '0';
  },
};

const quote: DialplanFunction = {
  name: 'QUOTE',
  synopsis: 'Quotes a given string, escaping embedded quotes as necessary',
  syntax: 'QUOTE(string)',
  read: (_session, args) => `"${args.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`,
};

const csvQuote: DialplanFunction = {
  name: 'CSV_QUOTE',
  synopsis: 'Quotes a given string for use in a CSV file, escaping embedded quotes as necessary',
  syntax: 'CSV_QUOTE(string)',
  read: (_session, args) => `"${args.replaceAll('"', '""')}"`,
};

const toUpper: DialplanFunction = {
  name: 'TOUPPER',
  synopsis: 'Convert string to all uppercase letters.',
  syntax: 'TOUPPER(string)',
  read: (_session, args) => args.toUpperCase(),
};

const toLower: DialplanFunction = {
  name: 'TOLOWER',
  synopsis: 'Convert string to all lowercase letters.',
  syntax: 'TOLOWER(string)',
  read: (_session, args) => args.toLowerCase(),
};

/** SHIFT/POP take from a list variable and write the rest back; PUSH/UNSHIFT add to it. */
function listEnd(name: 'SHIFT' | 'POP'): DialplanFunction {
  return {
    name,
    synopsis: name === 'SHIFT' ? 'Removes and returns the first item off of a variable containing delimited text' : 'Removes and returns the last item off of a variable containing delimited text',
    syntax: `${name}(varname[,delimiter])`,
    async read(session, args) {
      const [variable = '', delimiterText] = splitArgs(args, { max: 2 });
      if (variable === '') usage(`${name} requires a variable name`);
      const delimiter = decodeDelimiter(delimiterText, ',');
      const value = await valueOf(session, variable);
      if (value === '') return '';
      const items = value.split(delimiter);
      const taken = (name === 'SHIFT' ? items.shift() : items.pop()) ?? '';
      await session.setVariable(variable, items.length === 0 ? '' : items.join(delimiter));
      return taken;
    },
  };
}

function listAdd(name: 'PUSH' | 'UNSHIFT'): DialplanFunction {
  return {
    name,
    synopsis: name === 'PUSH' ? 'Appends one or more values to the end of a variable containing delimited text' : 'Inserts one or more values to the beginning of a variable containing delimited text',
    syntax: `${name}(varname[,delimiter])`,
    async write(session, args, value) {
      const [variable = '', delimiterText] = splitArgs(args, { max: 2 });
      const delimiter = decodeDelimiter(delimiterText, ',');
      const current = await valueOf(session, variable);
      const next = current === '' ? value : name === 'PUSH' ? `${current}${delimiter}${value}` : `${value}${delimiter}${current}`;
      await session.setVariable(variable, next);
    },
  };
}

const passthru: DialplanFunction = {
  name: 'PASSTHRU',
  synopsis: 'Pass the given argument back as a value.',
  syntax: 'PASSTHRU([string])',
  read: (_session, args) => args,
};

const evaluate: DialplanFunction = {
  name: 'EVAL',
  synopsis: 'Evaluate stored variables',
  syntax: 'EVAL(variable)',
  read: (session, args) => session.substitute(args),
};

const KEYPAD: Readonly<Record<string, string>> = {
  a: '2', b: '2', c: '2', d: '3', e: '3', f: '3', g: '4', h: '4', i: '4', j: '5', k: '5', l: '5',
  m: '6', n: '6', o: '6', p: '7', q: '7', r: '7', s: '7', t: '8', u: '8', v: '8', w: '9', x: '9', y: '9', z: '9',
};

const keypadHash: DialplanFunction = {
  name: 'KEYPADHASH',
  synopsis: 'Hash the letters in string into equivalent keypad numbers.',
  syntax: 'KEYPADHASH(string)',
  read: (_session, args) => [...args].map((char) => (/[0-9]/.test(char) ? char : (KEYPAD[char.toLowerCase()] ?? ''))).join(''),
};

const array: DialplanFunction = {
  name: 'ARRAY',
  synopsis: 'Allows setting multiple variables at once.',
  syntax: 'ARRAY(var1[,var2[,...][,varN]])',
  async write(session, args, value) {
    const names = splitArgs(args);
    const values = splitArgs(value);
    for (let i = 0; i < names.length; i++) await session.setVariable((names[i] as string).trim(), values[i] ?? '');
  },
};

/** The variable behind HASH(name,key) (func_strings.c HASH_FORMAT). */
function hashVariable(name: string, key: string): string {
  return `~HASH~${name}~${key}~`;
}

function hashKeys(session: DialplanSession, name: string): string[] {
  const prefix = `~HASH~${name}~`;
  const keys: string[] = [];
  for (const [variable] of session.channel.variables.entries()) {
    if (variable.startsWith(prefix) && variable.endsWith('~')) keys.push(variable.slice(prefix.length, -1));
  }
  return keys;
}

const hash: DialplanFunction = {
  name: 'HASH',
  synopsis: 'Implementation of a dialplan associative array',
  syntax: 'HASH(hashname[,hashkey])',
  read(session, args) {
    const [name = '', key] = splitArgs(args, { max: 2 });
    if (key !== undefined) return session.getVariable(hashVariable(name, key)) ?? '';
    // Without a key: every value, in key order, comma separated.
    return hashKeys(session, name).map((each) => session.getVariable(hashVariable(name, each)) ?? '').join(',');
  },
  async write(session, args, value) {
    const [name = '', key] = splitArgs(args, { max: 2 });
    if (key !== undefined) {
      await session.setVariable(hashVariable(name, key), value);
      return;
    }
    // HASH(name)=v1,v2 assigns the values to the keys listed in HASHKEYS order (ARRAY style).
    const keys = hashKeys(session, name);
    const values = splitArgs(value);
    for (let i = 0; i < keys.length; i++) await session.setVariable(hashVariable(name, keys[i] as string), values[i] ?? '');
  },
};

const hashKeysFunction: DialplanFunction = {
  name: 'HASHKEYS',
  synopsis: 'Retrieve the keys of the HASH() function.',
  syntax: 'HASHKEYS(hashname)',
  read: (session, args) => hashKeys(session, args.trim()).join(','),
};

/** The string functions. */
export const stringFunctions: readonly DialplanFunction[] = [
  len,
  cut,
  fieldQty,
  fieldNum,
  listFilter,
  filter,
  replace,
  strReplace,
  strBetween,
  trimmer('TRIM', 'Trim leading and trailing whitespace in a string', (text) => text.replace(/^\s+|\s+$/g, '')),
  trimmer('LTRIM', 'Trim leading whitespace in a string', (text) => text.replace(/^\s+/, '')),
  trimmer('RTRIM', 'Trim trailing whitespace in a string', (text) => text.replace(/\s+$/, '')),
  regex,
  quote,
  csvQuote,
  toUpper,
  toLower,
  listEnd('SHIFT'),
  listEnd('POP'),
  listAdd('PUSH'),
  listAdd('UNSHIFT'),
  passthru,
  evaluate,
  keypadHash,
  array,
  hash,
  hashKeysFunction,
];
