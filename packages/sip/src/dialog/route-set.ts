import { splitCommaList } from '../internal/scan.js';
import { tryParseUri, type SipUri } from '../message/sip-uri.js';

/**
 * One hop of a route set as written between `<` and `>` (chan_sip (Asterisk 20) keeps hops as
 * text in `struct sip_route`: a hop without a scheme, as some proxies write, is kept and sent
 * back exactly as received).
 */
export type RouteHop = string;

/**
 * The hops of Record-Route, Route or Path header values, in order (chan_sip
 * sip_route_process_header(): each comma-separated element, the text inside its brackets).
 */
export function parseRouteHops(headerValues: Iterable<string>): RouteHop[] {
  const hops: RouteHop[] = [];
  for (const value of headerValues) {
    for (const element of splitCommaList(value)) {
      const open = element.indexOf('<');
      const close = open < 0 ? -1 : element.indexOf('>', open + 1);
      const hop = open < 0 ? element : element.slice(open + 1, close < 0 ? undefined : close);
      if (hop.trim() !== '') hops.push(hop.trim());
    }
  }
  return hops;
}

/** True when the first hop is a strict router: no `;lr` in it (chan_sip sip_route_is_strict()). */
export function isStrictRoute(hops: readonly RouteHop[]): boolean {
  const first = hops[0];
  return first !== undefined && !/;lr/i.test(first);
}

/**
 * The value of the one Route header chan_sip writes (add_route()): `<hop>,<hop>` without
 * spaces, after skipping `skip` hops; undefined when nothing is left.
 */
export function formatRouteHeader(hops: readonly RouteHop[], skip = 0): string | undefined {
  const rest = hops.slice(skip);
  return rest.length === 0 ? undefined : rest.map((hop) => `<${hop}>`).join(',');
}

/**
 * The URI of a hop, read leniently like chan_sip's set_destination(): a hop without a scheme
 * is taken as a `sip:` URI. Undefined when even that does not parse.
 */
export function routeHopUri(hop: RouteHop): SipUri | undefined {
  return tryParseUri(hop) ?? tryParseUri(`sip:${hop}`);
}
