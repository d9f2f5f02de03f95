// G.711 µ-law and A-law (ITU-T G.711) conversions, table driven so the packet path does one
// lookup per sample.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tandem {

enum class AudioCodec : uint8_t { Other = 0, Pcmu, Pcma };

uint8_t linearToUlaw(int16_t sample);
uint8_t linearToAlaw(int16_t sample);
int16_t ulawToLinear(uint8_t code);
int16_t alawToLinear(uint8_t code);

/** Lookup tables built once at module load. */
struct G711Tables {
  int16_t ulawToLinear[256];
  int16_t alawToLinear[256];
  uint8_t ulawToAlaw[256];
  uint8_t alawToUlaw[256];
  G711Tables();
};
extern const G711Tables kG711;

/** µ-law <-> A-law through linear, as Asterisk's codec_a_mu does (mu2a = lin2a(mulaw)). */
void transcodeG711(const uint8_t* in, uint8_t* out, size_t count, AudioCodec from, AudioCodec to);
/** Decodes G.711 to 16-bit linear. */
void decodeG711(const uint8_t* in, int16_t* out, size_t count, AudioCodec codec);
/** Encodes 16-bit linear to G.711. */
void encodeG711(const int16_t* in, uint8_t* out, size_t count, AudioCodec codec);

}  // namespace tandem
