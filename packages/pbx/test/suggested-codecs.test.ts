import { describe, expect, it } from 'vitest';
import { codecByName, type SdpCodec } from '@tandem/sip';
import { ignoredCodecNotice, suggestedCodecs } from '../src/chan-sip/suggested-codecs.js';

/** A joint codec as negotiated: `name` with the party's payload type. */
function joint(name: string, payloadType: number, fmtp?: string): SdpCodec {
  const codec = codecByName(name);
  if (codec === undefined) throw new Error(`no codec ${name}`);
  return { codec, payloadType, ...(fmtp === undefined ? {} : { fmtp }) };
}

const negotiated = [joint('ulaw', 0), joint('alaw', 8), joint('gsm', 3), joint('opus', 111, 'useinbandfec=1')];
const names = (codecs: readonly SdpCodec[]) => codecs.map((entry) => entry.codec.name);

describe('SIP_CODEC* lists (chan_sip try_suggested_sip_codec())', () => {
  it('leaves the joint codecs alone without a list', () => {
    expect(names(suggestedCodecs(undefined, negotiated).codecs)).toEqual(['ulaw', 'alaw', 'gsm', 'opus']);
    expect(names(suggestedCodecs(' ', negotiated).codecs)).toEqual(['ulaw', 'alaw', 'gsm', 'opus']);
  });

  it('keeps the listed shared codecs in the list order with what was negotiated for them', () => {
    const { codecs, ignored } = suggestedCodecs(' OPUS , gsm,opus', negotiated);
    expect(names(codecs)).toEqual(['opus', 'gsm']);
    expect(codecs[0]).toEqual(joint('opus', 111, 'useinbandfec=1'));
    expect(ignored).toEqual([]);
  });

  it('ignores unknown and unshared codecs, and keeps the joint set when none is left', () => {
    const { codecs, ignored } = suggestedCodecs('g729,foo', negotiated);
    expect(names(codecs)).toEqual(['ulaw', 'alaw', 'gsm', 'opus']);
    expect(ignored).toEqual([
      { codec: 'g729', reason: 'not-shared' },
      { codec: 'foo', reason: 'unknown' },
    ]);
    expect(ignored.map(ignoredCodecNotice)).toEqual([
      'Ignoring ${SIP_CODEC*} variable because it is not shared by both ends: g729',
      'Ignoring ${SIP_CODEC*} variable because of unrecognized/not configured codec foo (check allow/disallow in sip.conf)',
    ]);
    expect(names(suggestedCodecs('g729,alaw', negotiated).codecs)).toEqual(['alaw']);
  });
});
