/**
 * ENUM (Asterisk 20, funcs/func_enum.c, main/enum.c): the NAPTR lookup itself is the host's
 * (`PbxHost.enumLookup`); these functions choose, count and format the answers.
 */
import type { DialplanChannel } from '../channel.js';
import { DialplanError } from '../dialplan-error.js';
import type { DialplanFunction } from '../engine/function-registry.js';
import type { EnumRecord } from '../host.js';
import { splitArgs } from '../internal/split-args.js';

function usage(message: string): never {
  throw new DialplanError('invalid-argument', message);
}

/** NAPTRs in order, then preference (main/enum.c enum_callback sorting). */
function sortRecords(records: readonly EnumRecord[]): EnumRecord[] {
  return [...records].sort((a, b) => a.order - b.order || a.preference - b.preference);
}

function matchesMethod(record: EnumRecord, method: string): boolean {
  return method.toUpperCase() === 'ALL' || record.service.toLowerCase() === method.toLowerCase();
}

const enumLookup: DialplanFunction = {
  name: 'ENUMLOOKUP',
  synopsis: 'General or specific querying of NAPTR records for ENUM or ENUM-like DNS pointers.',
  syntax: 'ENUMLOOKUP(number[,method-type[,options[,record#[,zone-suffix]]]])',
  async read(session, args) {
    const [number = '', methodText = '', options = '', recordText = '', suffixText = ''] = splitArgs(args, { max: 5 });
    if (number === '') usage('Syntax: ENUMLOOKUP(number[,Method-type[,options[,record#[,zone-suffix]]]])');
    if (options.includes('s')) usage('ENUMLOOKUP: ISN lookups (option s) are not supported by Tandem');
    const method = methodText === '' ? 'sip' : methodText;
    // The number goes as written: main/enum.c builds the domain from its digits but applies
    // the NAPTR regexp to the number with its `+`. An empty suffix means the default.
    const records = sortRecords(await session.host.enumLookup(number, suffixText, options.includes('d'))).filter((record) => matchesMethod(record, method));
    if (options.includes('c')) return String(records.length);
    const index = recordText === '' ? 1 : Number.parseInt(recordText, 10);
    const record = index >= 1 ? records[index - 1] : undefined;
    if (!record) return '';
    if (options.includes('u')) return record.uri;
    const colon = record.uri.indexOf(':');
    return colon < 0 ? record.uri : record.uri.slice(colon + 1);
  },
};

interface EnumQuery {
  readonly records: readonly EnumRecord[];
}

const queries = new WeakMap<DialplanChannel, Map<string, EnumQuery>>();
let nextQueryId = 0;

const enumQuery: DialplanFunction = {
  name: 'ENUMQUERY',
  synopsis: 'Initiate an ENUM query.',
  syntax: 'ENUMQUERY(number[,method-type[,zone-suffix]])',
  async read(session, args) {
    const [number = '', methodText = '', suffixText = ''] = splitArgs(args, { max: 3 });
    if (number === '') usage('Syntax: ENUMQUERY(number[,Method-type[,zone-suffix]])');
    const method = methodText === '' ? 'sip' : methodText;
    const records = sortRecords(await session.host.enumLookup(number, suffixText, false)).filter((record) => matchesMethod(record, method));
    let perChannel = queries.get(session.channel);
    if (!perChannel) {
      perChannel = new Map();
      queries.set(session.channel, perChannel);
    }
    const id = String(++nextQueryId);
    perChannel.set(id, { records });
    return id;
  },
};

const enumResult: DialplanFunction = {
  name: 'ENUMRESULT',
  synopsis: 'Retrieve results from a ENUMQUERY.',
  syntax: 'ENUMRESULT(id,resultnum)',
  read(session, args) {
    const [id = '', which = ''] = splitArgs(args, { max: 2 });
    if (id === '' || which === '') usage('Syntax: ENUMRESULT(id,resultnum)');
    const query = queries.get(session.channel)?.get(id);
    if (!query) usage(`No such ENUM ID '${id}'`);
    if (which.toLowerCase() === 'getnum') return String(query.records.length);
    const index = Number.parseInt(which, 10);
    return (index >= 1 ? query.records[index - 1]?.uri : undefined) ?? '';
  },
};

/** The ENUM functions. */
export const enumFunctions: readonly DialplanFunction[] = [enumLookup, enumQuery, enumResult];
