#include "rtcp.h"

#include "rtp-packet.h"

namespace tandem {

namespace {
constexpr uint8_t kSenderReport = 200;
constexpr uint8_t kReceiverReport = 201;
}  // namespace

bool parseRtcp(const uint8_t* data, size_t length, RtcpSummary& summary) {
  size_t offset = 0;
  bool first = true;
  while (offset + 4 <= length) {
    const uint8_t* packet = data + offset;
    if ((packet[0] >> 6) != 2) return !first;
    const size_t size = 4u * (readU16(packet + 2) + 1u);
    if (offset + size > length) return !first;
    const uint8_t type = packet[1];
    const unsigned reportCount = packet[0] & 0x1f;
    size_t blocks = 0;
    if (type == kSenderReport && size >= 28) {
      summary.hasSenderReport = true;
      summary.senderNtpMiddle = readU32(packet + 10);  // low 16 of seconds, high 16 of fraction
      blocks = 28;
    } else if (type == kReceiverReport && size >= 8) {
      blocks = 8;
    }
    if (blocks != 0 && reportCount > 0 && blocks + 24 <= size) {
      const uint8_t* block = packet + blocks;
      summary.hasReportBlock = true;
      summary.fractionLost = block[4];
      summary.lastSenderReport = readU32(block + 16);
      summary.delaySinceLastSenderReport = readU32(block + 20);
    }
    first = false;
    offset += size;
  }
  return !first;
}

}  // namespace tandem
