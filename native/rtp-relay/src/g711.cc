#include "g711.h"

namespace tandem {

uint8_t linearToUlaw(int16_t sample) {
  constexpr int kBias = 0x84;
  constexpr int kClip = 32635;
  int value = sample;
  const int sign = value < 0 ? 0x80 : 0;
  if (sign) value = -value;
  if (value > kClip) value = kClip;
  value += kBias;
  int exponent = 7;
  for (int mask = 0x4000; (value & mask) == 0 && exponent > 0; mask >>= 1) --exponent;
  const int mantissa = (value >> (exponent + 3)) & 0x0f;
  return static_cast<uint8_t>(~(sign | (exponent << 4) | mantissa));
}

int16_t ulawToLinear(uint8_t code) {
  const int u = static_cast<uint8_t>(~code);
  int magnitude = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return static_cast<int16_t>((u & 0x80) ? (0x84 - magnitude) : (magnitude - 0x84));
}

uint8_t linearToAlaw(int16_t sample) {
  int value = sample >> 3;  // A-law works on 13-bit magnitudes
  int mask;
  if (value >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    value = -value - 1;
  }
  static const int kSegmentEnds[8] = {0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff};
  int segment = 0;
  while (segment < 8 && value > kSegmentEnds[segment]) ++segment;
  if (segment >= 8) return static_cast<uint8_t>(0x7f ^ mask);
  int code = segment << 4;
  code |= segment < 2 ? (value >> 1) & 0x0f : (value >> segment) & 0x0f;
  return static_cast<uint8_t>(code ^ mask);
}

int16_t alawToLinear(uint8_t code) {
  const int a = code ^ 0x55;
  int magnitude = (a & 0x0f) << 4;
  const int segment = (a & 0x70) >> 4;
  if (segment == 0) {
    magnitude += 8;
  } else {
    magnitude += 0x108;
    magnitude <<= segment - 1;
  }
  return static_cast<int16_t>((a & 0x80) ? magnitude : -magnitude);
}

G711Tables::G711Tables() {
  for (int i = 0; i < 256; ++i) {
    ulawToLinear[i] = tandem::ulawToLinear(static_cast<uint8_t>(i));
    alawToLinear[i] = tandem::alawToLinear(static_cast<uint8_t>(i));
  }
  for (int i = 0; i < 256; ++i) {
    ulawToAlaw[i] = linearToAlaw(ulawToLinear[i]);
    alawToUlaw[i] = linearToUlaw(alawToLinear[i]);
  }
}

const G711Tables kG711;

void transcodeG711(const uint8_t* in, uint8_t* out, size_t count, AudioCodec from, AudioCodec to) {
  const uint8_t* table = nullptr;
  if (from == AudioCodec::Pcmu && to == AudioCodec::Pcma) table = kG711.ulawToAlaw;
  if (from == AudioCodec::Pcma && to == AudioCodec::Pcmu) table = kG711.alawToUlaw;
  for (size_t i = 0; i < count; ++i) out[i] = table ? table[in[i]] : in[i];
}

void decodeG711(const uint8_t* in, int16_t* out, size_t count, AudioCodec codec) {
  const int16_t* table = codec == AudioCodec::Pcma ? kG711.alawToLinear : kG711.ulawToLinear;
  for (size_t i = 0; i < count; ++i) out[i] = table[in[i]];
}

void encodeG711(const int16_t* in, uint8_t* out, size_t count, AudioCodec codec) {
  if (codec == AudioCodec::Pcma) {
    for (size_t i = 0; i < count; ++i) out[i] = linearToAlaw(in[i]);
  } else {
    for (size_t i = 0; i < count; ++i) out[i] = linearToUlaw(in[i]);
  }
}

}  // namespace tandem
