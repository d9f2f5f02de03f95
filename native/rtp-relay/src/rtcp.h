// RTCP compound packets (RFC 3550 §6.4): the parts Tandem reads to report what the party
// says about the stream it receives from us, and the LSR/DLSR bookkeeping for round-trip time.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tandem {

/** What one compound RTCP packet reported. */
struct RtcpSummary {
  bool hasSenderReport = false;
  uint32_t senderNtpMiddle = 0;  // middle 32 bits of the SR's NTP timestamp (the future LSR)
  bool hasReportBlock = false;
  uint8_t fractionLost = 0;
  uint32_t lastSenderReport = 0;  // LSR
  uint32_t delaySinceLastSenderReport = 0;  // DLSR, 1/65536 s
};

/** Parses SR/RR packets of a compound; false when the first packet is not RTCP version 2. */
bool parseRtcp(const uint8_t* data, size_t length, RtcpSummary& summary);

/** Remembers when SRs were sent toward a party so its RRs yield RTT (RFC 3550 §6.4.1). */
class SenderReportLog {
 public:
  void record(uint32_t ntpMiddle, int64_t sentNs) {
    entries_[next_] = Entry{ntpMiddle, sentNs, true};
    next_ = (next_ + 1) % kSize;
  }
  /** RTT in µs for a report block, or -1 when the LSR is unknown. */
  int64_t rttMicros(uint32_t lsr, uint32_t dlsr, int64_t nowNs) const {
    if (lsr == 0) return -1;
    for (const Entry& entry : entries_) {
      if (entry.used && entry.ntpMiddle == lsr) {
        const int64_t rtt = (nowNs - entry.sentNs) / 1000 - static_cast<int64_t>(dlsr) * 1000000 / 65536;
        return rtt < 0 ? 0 : rtt;
      }
    }
    return -1;
  }

 private:
  struct Entry {
    uint32_t ntpMiddle = 0;
    int64_t sentNs = 0;
    bool used = false;
  };
  static constexpr size_t kSize = 8;
  Entry entries_[kSize];
  size_t next_ = 0;
};

}  // namespace tandem
