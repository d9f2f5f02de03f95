/**
 * Time specifications of `include => ctx,times,weekdays,mdays,months[,tz]`, GotoIfTime,
 * ExecIfTime and IFTIME (Asterisk 20, main/pbx_timing.c `ast_build_timing()`).
 */

/** A parsed time specification; `matches(date)` tells whether it is in force. */
export interface TimeSpec {
  /** The text it was built from. */
  readonly text: string;
  /** IANA time zone, or undefined for the process's local time. */
  readonly timeZone: string | undefined;
  matches(date: Date): boolean;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A problem found in a time specification (Asterisk warns and skips the element). */
export interface TimeSpecProblem {
  readonly message: string;
}

function lookupName(text: string, names: readonly string[] | undefined, max: number): number {
  if (names) {
    const index = names.indexOf(text.toLowerCase());
    if (index >= 0) return index;
  }
  const number = /^\s*(\d{1,2})/.exec(text);
  if (number) {
    const value = Number(number[1]);
    if (value >= 1 && value <= max) return value - 1;
  }
  return -1;
}

function buildRange(
  source: string | undefined,
  max: number,
  names: readonly string[] | undefined,
  what: string,
  problems: TimeSpecProblem[],
): number {
  if (source === undefined || source === '' || source === '*') return 2 ** max - 1;
  let mask = 0;
  for (const part of source.split('&')) {
    const [startText = '', endText] = part.split('-', 2);
    const start = lookupName(startText, names, max);
    if (start < 0) {
      problems.push({ message: `Invalid ${what} '${startText}', skipping element` });
      continue;
    }
    let end = start;
    if (endText !== undefined) {
      end = lookupName(endText, names, max);
      if (end < 0) {
        problems.push({ message: `Invalid end ${what} '${endText}', skipping element` });
        continue;
      }
    }
    // Ranges are cyclic: fri-mon covers the weekend.
    mask |= 1 << end;
    for (let i = start; i !== end; i = (i + 1) % max) mask |= 1 << i;
  }
  return mask >>> 0;
}

function parseClock(text: string): number | undefined {
  const match = /^\s*(\d{1,2}):(\d{1,2})/.exec(text);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return undefined;
  return hours * 60 + minutes;
}

function buildMinutes(source: string | undefined, problems: TimeSpecProblem[]): Uint8Array {
  const minutes = new Uint8Array(24 * 60);
  if (source === undefined || source === '' || source === '*') return minutes.fill(1);
  for (const part of source.split('&')) {
    const dash = part.indexOf('-');
    if (dash < 0) {
      const at = parseClock(part);
      if (at === undefined) problems.push({ message: `${part} isn't a valid time.` });
      else minutes[at] = 1;
      continue;
    }
    const start = parseClock(part.slice(0, dash));
    const end = parseClock(part.slice(dash + 1).replace(/^\D+/, ''));
    if (start === undefined || end === undefined) {
      problems.push({ message: `'${part}' isn't a valid time range.` });
      continue;
    }
    // Both ends inclusive, wrapping past midnight (get_timerange()).
    let minute = start;
    for (; minute !== end; minute = (minute + 1) % (24 * 60)) minutes[minute] = 1;
    minutes[minute] = 1;
  }
  return minutes;
}

interface LocalParts {
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
  readonly minuteOfDay: number;
}

function localParts(date: Date, timeZone: string | undefined): LocalParts {
  if (timeZone === undefined) {
    return {
      month: date.getMonth(),
      day: date.getDate(),
      weekday: date.getDay(),
      minuteOfDay: date.getHours() * 60 + date.getMinutes(),
    };
  }
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(date);
  const get = (type: string): string => parts.find((part) => part.type === type)?.value ?? '0';
  return {
    month: Number(get('month')) - 1,
    day: Number(get('day')),
    weekday: DAYS.indexOf(get('weekday').slice(0, 3).toLowerCase()),
    minuteOfDay: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

function validTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses `times,weekdays,mdays,months[,tz]` (`|` also separates, as in Asterisk). Elements that
 * do not parse are skipped and reported in `problems`, like Asterisk's warnings.
 */
export function parseTimeSpec(text: string, problems: TimeSpecProblem[] = []): TimeSpec {
  const fields = text.split(/[|,]/);
  let timeZone: string | undefined;
  if (fields.length === 5) {
    const zone = (fields[4] ?? '').trim();
    if (zone !== '') {
      if (validTimeZone(zone)) timeZone = zone;
      else problems.push({ message: `Unknown time zone '${zone}', using local time` });
    }
  }
  const minutes = buildMinutes(fields[0], problems);
  const weekdays = buildRange(fields[1], 7, DAYS, 'day of week', problems);
  const monthDays = buildRange(fields[2], 31, undefined, 'day', problems);
  const months = buildRange(fields[3], 12, MONTHS, 'month', problems);
  return {
    text,
    timeZone,
    matches(date: Date): boolean {
      const local = localParts(date, timeZone);
      return (
        (months & (1 << local.month)) !== 0 &&
        (monthDays & (1 << (local.day - 1))) !== 0 &&
        (weekdays & (1 << local.weekday)) !== 0 &&
        minutes[local.minuteOfDay] === 1
      );
    },
  };
}
