import type { RegistryRow } from '../outbound/outbound-registrations.js';
import { column, rightColumn } from './printf-columns.js';

// chan_sip sip_show_registry(): "%-39.39s %-6.6s %-12.12s  %8d %-20.20s %-25.25s\n"
function registryLine(host: string, dnsmgr: string, username: string, refresh: string, state: string, regTime: string): string {
  return `${column(host, 39, 39)} ${column(dnsmgr, 6, 6)} ${column(username, 12, 12)}  ${rightColumn(refresh.slice(0, 8), 8)} ${column(state, 20, 20)} ${column(regTime, 25, 25)}\n`;
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime("%a, %d %b %Y %T") in local time, as chan_sip prints Reg.Time. */
export function registryTime(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${weekdays[date.getDay()] ?? ''}, ${two(date.getDate())} ${months[date.getMonth()] ?? ''} ${date.getFullYear()} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** `sip show registry` (chan_sip sip_show_registry()). */
export function renderSipShowRegistry(rows: readonly RegistryRow[]): string {
  let text = registryLine('Host', 'dnsmgr', 'Username', 'Refresh', 'State', 'Reg.Time');
  for (const row of rows) {
    text += registryLine(row.host, row.dnsmgr, row.username, String(row.refresh), row.state, row.regTime === undefined ? '' : registryTime(row.regTime));
  }
  return `${text}${rows.length} SIP registrations.\n`;
}
