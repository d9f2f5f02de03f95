/**
 * strftime()/strptime() as STRFTIME()/STRPTIME() use them (Asterisk 20, main/localtime.c
 * `ast_strftime()`: C locale, plus `%q` / `%1q`..`%6q` for fractions of a second).
 */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface Parts {
  readonly year: number;
  readonly month: number; // 0-11
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
  readonly offsetMinutes: number; // local - UTC
  readonly zoneName: string;
}

function partsOf(date: Date, timeZone: string | undefined): Parts {
  const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
      timeZoneName: 'short',
    });
  } catch {
    return partsOf(date, 'UTC');
  }
  const parts = formatter.formatToParts(date);
  const get = (type: string): string => parts.find((part) => part.type === type)?.value ?? '0';
  const year = Number(get('year'));
  const month = Number(get('month')) - 1;
  const day = Number(get('day'));
  const hour = Number(get('hour'));
  const minute = Number(get('minute'));
  const second = Number(get('second'));
  const asUtc = Date.UTC(year, month, day, hour, minute, second);
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
    offsetMinutes: Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000),
    zoneName: get('timeZoneName'),
  };
}

const pad = (value: number, width = 2, fill = '0'): string => String(value).padStart(width, fill);

function dayOfYear(parts: Parts): number {
  return Math.round((Date.UTC(parts.year, parts.month, parts.day) - Date.UTC(parts.year, 0, 1)) / 86400000) + 1;
}

/** Formats `date` with a strftime format in `timeZone` (default: local). */
export function formatTime(date: Date, format: string, timeZone?: string): string {
  const parts = partsOf(date, timeZone);
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const char = format[i];
    if (char !== '%') {
      out += char;
      continue;
    }
    let spec = format[++i];
    let fractionDigits = 3;
    if (spec !== undefined && /[1-6]/.test(spec) && format[i + 1] === 'q') {
      fractionDigits = Number(spec);
      spec = format[++i];
    }
    switch (spec) {
      case 'a':
        out += (DAYS[parts.weekday] ?? '').slice(0, 3);
        break;
      case 'A':
        out += DAYS[parts.weekday] ?? '';
        break;
      case 'b':
      case 'h':
        out += (MONTHS[parts.month] ?? '').slice(0, 3);
        break;
      case 'B':
        out += MONTHS[parts.month] ?? '';
        break;
      case 'c':
        out += formatTime(date, '%a %b %e %H:%M:%S %Y', timeZone);
        break;
      case 'C':
        out += pad(Math.floor(parts.year / 100));
        break;
      case 'd':
        out += pad(parts.day);
        break;
      case 'D':
        out += formatTime(date, '%m/%d/%y', timeZone);
        break;
      case 'e':
        out += pad(parts.day, 2, ' ');
        break;
      case 'F':
        out += formatTime(date, '%Y-%m-%d', timeZone);
        break;
      case 'H':
        out += pad(parts.hour);
        break;
      case 'I':
        out += pad(parts.hour % 12 === 0 ? 12 : parts.hour % 12);
        break;
      case 'j':
        out += pad(dayOfYear(parts), 3);
        break;
      case 'k':
        out += pad(parts.hour, 2, ' ');
        break;
      case 'l':
        out += pad(parts.hour % 12 === 0 ? 12 : parts.hour % 12, 2, ' ');
        break;
      case 'm':
        out += pad(parts.month + 1);
        break;
      case 'M':
        out += pad(parts.minute);
        break;
      case 'n':
        out += '\n';
        break;
      case 'p':
        out += parts.hour < 12 ? 'AM' : 'PM';
        break;
      case 'P':
        out += parts.hour < 12 ? 'am' : 'pm';
        break;
      case 'q':
        out += pad(date.getTime() % 1000, 3).slice(0, fractionDigits).padEnd(fractionDigits, '0');
        break;
      case 'r':
        out += formatTime(date, '%I:%M:%S %p', timeZone);
        break;
      case 'R':
        out += formatTime(date, '%H:%M', timeZone);
        break;
      case 's':
        out += String(Math.floor(date.getTime() / 1000));
        break;
      case 'S':
        out += pad(parts.second);
        break;
      case 't':
        out += '\t';
        break;
      case 'T':
        out += formatTime(date, '%H:%M:%S', timeZone);
        break;
      case 'u':
        out += String(parts.weekday === 0 ? 7 : parts.weekday);
        break;
      case 'w':
        out += String(parts.weekday);
        break;
      case 'y':
        out += pad(parts.year % 100);
        break;
      case 'Y':
        out += String(parts.year);
        break;
      case 'z': {
        const sign = parts.offsetMinutes < 0 ? '-' : '+';
        const offset = Math.abs(parts.offsetMinutes);
        out += `${sign}${pad(Math.floor(offset / 60))}${pad(offset % 60)}`;
        break;
      }
      case 'Z':
        out += parts.zoneName;
        break;
      case '%':
        out += '%';
        break;
      case undefined:
        out += '%';
        break;
      default:
        out += `%${spec}`;
    }
  }
  return out;
}

/** Parses `text` with a strptime format in `timeZone`; undefined when it does not match. */
export function parseTime(text: string, format: string, timeZone?: string): Date | undefined {
  const fields = { year: 1900, month: 0, day: 1, hour: 0, minute: 0, second: 0, pm: undefined as boolean | undefined, epoch: undefined as number | undefined };
  let position = 0;
  const take = (pattern: RegExp): string | undefined => {
    const match = pattern.exec(text.slice(position));
    if (!match) return undefined;
    position += match[0].length;
    return match[1] ?? match[0];
  };
  for (let i = 0; i < format.length; i++) {
    const char = format[i] as string;
    if (char !== '%') {
      if (/\s/.test(char)) {
        take(/^\s*/);
        continue;
      }
      if (text[position] !== char) return undefined;
      position++;
      continue;
    }
    const spec = format[++i];
    let value: string | undefined;
    switch (spec) {
      case 'Y':
        value = take(/^\s*([+-]?\d{1,4})/);
        if (value !== undefined) fields.year = Number(value);
        break;
      case 'y':
        value = take(/^\s*(\d{1,2})/);
        if (value !== undefined) fields.year = Number(value) + (Number(value) < 69 ? 2000 : 1900);
        break;
      case 'm':
        value = take(/^\s*(\d{1,2})/);
        if (value !== undefined) fields.month = Number(value) - 1;
        break;
      case 'd':
      case 'e':
        value = take(/^\s*(\d{1,2})/);
        if (value !== undefined) fields.day = Number(value);
        break;
      case 'H':
      case 'I':
        value = take(/^\s*(\d{1,2})/);
        if (value !== undefined) fields.hour = Number(value);
        break;
      case 'M':
        value = take(/^\s*(\d{1,2})/);
        if (value !== undefined) fields.minute = Number(value);
        break;
      case 'S':
        value = take(/^\s*(\d{1,2})/);
        if (value !== undefined) fields.second = Number(value);
        break;
      case 'p':
        value = take(/^\s*([AaPp][Mm])/);
        if (value !== undefined) fields.pm = value.toLowerCase() === 'pm';
        break;
      case 'b':
      case 'B':
      case 'h': {
        value = take(/^\s*([A-Za-z]+)/);
        const index = value === undefined ? -1 : MONTHS.findIndex((name) => name.toLowerCase().startsWith(value!.toLowerCase().slice(0, 3)));
        if (index < 0) return undefined;
        fields.month = index;
        break;
      }
      case 'a':
      case 'A':
        value = take(/^\s*([A-Za-z]+)/);
        break;
      case 's':
        value = take(/^\s*(\d+)/);
        if (value !== undefined) fields.epoch = Number(value);
        break;
      case 'T':
        return parseTime(text, format.slice(0, i - 1) + '%H:%M:%S' + format.slice(i + 1), timeZone);
      case 'D':
        return parseTime(text, format.slice(0, i - 1) + '%m/%d/%y' + format.slice(i + 1), timeZone);
      case 'F':
        return parseTime(text, format.slice(0, i - 1) + '%Y-%m-%d' + format.slice(i + 1), timeZone);
      case '%':
        value = text[position] === '%' ? '%' : undefined;
        position++;
        break;
      default:
        return undefined;
    }
    if (value === undefined) return undefined;
  }
  if (fields.epoch !== undefined) return new Date(fields.epoch * 1000);
  if (fields.pm !== undefined) fields.hour = (fields.hour % 12) + (fields.pm ? 12 : 0);
  const asUtc = Date.UTC(fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second);
  // Find the instant whose local time in the zone is the parsed time (two passes settle DST).
  let guess = asUtc;
  for (let pass = 0; pass < 2; pass++) guess = asUtc - partsOf(new Date(guess), timeZone).offsetMinutes * 60000;
  return new Date(guess);
}
