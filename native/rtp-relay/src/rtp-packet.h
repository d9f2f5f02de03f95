// RTP fixed header access (RFC 3550 §5.1) without copying the packet.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tandem {

constexpr size_t kRtpHeaderSize = 12;
constexpr size_t kMaxPacketSize = 2048;

inline uint16_t readU16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t readU32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | p[3];
}
inline void writeU16(uint8_t* p, uint16_t v) { p[0] = static_cast<uint8_t>(v >> 8); p[1] = static_cast<uint8_t>(v); }
inline void writeU32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24); p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8); p[3] = static_cast<uint8_t>(v);
}

/** A parsed view of one RTP packet; `payload` points into the caller's buffer. */
struct RtpView {
  uint8_t payloadType = 0;
  bool marker = false;
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
  const uint8_t* payload = nullptr;
  size_t payloadLength = 0;
};

/** RFC 3550 §5.1: version 2, CSRC list, header extension and padding honoured. */
inline bool parseRtp(const uint8_t* data, size_t length, RtpView& view) {
  if (length < kRtpHeaderSize || (data[0] >> 6) != 2) return false;
  size_t offset = kRtpHeaderSize + 4u * (data[0] & 0x0f);
  if (data[0] & 0x10) {
    if (length < offset + 4) return false;
    offset += 4 + 4u * readU16(data + offset + 2);
  }
  size_t end = length;
  if (data[0] & 0x20) {
    const uint8_t padding = data[length - 1];
    if (padding == 0 || padding > length) return false;
    end -= padding;
  }
  if (offset > end) return false;
  view.payloadType = data[1] & 0x7f;
  view.marker = (data[1] & 0x80) != 0;
  view.sequence = readU16(data + 2);
  view.timestamp = readU32(data + 4);
  view.ssrc = readU32(data + 8);
  view.payload = data + offset;
  view.payloadLength = end - offset;
  return true;
}

/** Writes a 12-byte header (no CSRC, no extension). */
inline void writeRtpHeader(uint8_t* out, uint8_t payloadType, bool marker, uint16_t sequence,
                           uint32_t timestamp, uint32_t ssrc) {
  out[0] = 0x80;
  out[1] = static_cast<uint8_t>((marker ? 0x80 : 0) | (payloadType & 0x7f));
  writeU16(out + 2, sequence);
  writeU32(out + 4, timestamp);
  writeU32(out + 8, ssrc);
}

}  // namespace tandem
