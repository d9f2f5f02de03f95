import type { T38Setting } from '@tandem/config';

/**
 * The T.38 parameters we answer with when a fax stream ends at Tandem itself rather than being
 * passed to a bridged leg (chan_sip add_t38_sdp() with our own UDPTL's capabilities): version 0,
 * at most 14400 bit/s, the party's rate management, our maximum datagram and the error
 * correction of t38pt_udptl.
 */
export function localT38Attributes(offered: readonly string[], setting: T38Setting): string[] {
  const value = (name: string): string | undefined => {
    const prefix = `${name.toLowerCase()}:`;
    return offered.find((attribute) => attribute.toLowerCase().startsWith(prefix))?.slice(prefix.length).trim();
  };
  const offeredRate = Number(value('T38MaxBitRate'));
  const rate = Number.isInteger(offeredRate) && offeredRate > 0 ? Math.min(offeredRate, 14400) : 14400;
  const management = value('T38FaxRateManagement')?.toLowerCase() === 'localtcf' ? 'localTCF' : 'transferredTCF';
  const attributes = ['T38FaxVersion:0', `T38MaxBitRate:${rate}`, `T38FaxRateManagement:${management}`, `T38FaxMaxDatagram:${setting.maxDatagram ?? 400}`];
  if (setting.support === 'fec') attributes.push('T38FaxUdpEC:t38UDPFEC');
  else if (setting.support === 'redundancy') attributes.push('T38FaxUdpEC:t38UDPRedundancy');
  return attributes;
}
