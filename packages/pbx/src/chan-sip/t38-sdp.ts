/** A T.38 stream (m=image udptl t38) offered or answered by a party. */
export interface T38Stream {
  /** Where the party sends and wants its UDPTL. */
  readonly address: string;
  readonly port: number;
  /** The party's `a=T38...` facsimile parameters, as written (passed to the other party). */
  readonly attributes: readonly string[];
}

/**
 * Reads the first accepted T.38 stream of an SDP (chan_sip process_sdp() for `m=image <port>
 * udptl t38`): its address (media c=, else session c=), port and T.38 parameters. Undefined when
 * the SDP has none, or declines it with port 0.
 */
export function readT38Stream(body: string): T38Stream | undefined {
  const lines = body.split(/\r?\n/);
  let sessionAddress: string | undefined;
  let stream: { port: number; address: string | undefined; attributes: string[] } | undefined;
  let inImage = false;
  for (const line of lines) {
    if (line.startsWith('m=')) {
      if (stream !== undefined) break;
      const match = /^m=image (\d+) udptl t38\b/i.exec(line);
      inImage = match !== null && Number(match[1]) > 0;
      if (inImage) stream = { port: Number(match?.[1]), address: undefined, attributes: [] };
      continue;
    }
    const connection = /^c=IN IP[46] (\S+)/.exec(line);
    if (connection !== null) {
      if (stream === undefined && !inImage) sessionAddress = connection[1];
      else if (inImage && stream !== undefined) stream.address = connection[1];
      continue;
    }
    if (inImage && stream !== undefined && /^a=t38/i.test(line)) stream.attributes.push(line.slice(2));
  }
  const address = stream?.address ?? sessionAddress;
  if (stream === undefined || address === undefined) return undefined;
  return { address, port: stream.port, attributes: stream.attributes };
}
