// Receiver statistics of one RTP stream: RFC 3550 Appendix A.1 (sequence validation),
// A.3 (expected and lost packets) and A.8 (interarrival jitter).
#pragma once
#include <cstdint>

#include "rtp-packet.h"

namespace tandem {

class RtpReceiveStats {
 public:
  /**
   * Accounts one packet. `arrivalNs` is the kernel receive time; `clockRate` the RTP clock of
   * the payload; `timingValid` is false for packets whose timestamp is not a sampling instant
   * (RFC 4733 events keep the event's start timestamp), which are kept out of the jitter.
   */
  void update(const RtpView& packet, int64_t arrivalNs, uint32_t clockRate, bool timingValid);

  /** Cumulative packets lost (RFC 3550 A.3), over every SSRC seen; never negative. */
  int64_t lost() const {
    if (!started_) return lostOfEarlierStreams_;
    const int64_t lostNow = static_cast<int64_t>(extendedMax()) - baseSeq_ + 1 - received_;
    return lostOfEarlierStreams_ + (lostNow > 0 ? lostNow : 0);
  }
  /** Interarrival jitter in microseconds (RFC 3550 A.8); a multiply, cheap per packet. */
  uint64_t jitterMicros() const { return static_cast<uint64_t>(jitter_ * microsPerUnit_); }
  /** Extended highest sequence number received (RFC 3550 §6.4.1). */
  uint32_t extendedMax() const { return cycles_ + maxSeq_; }
  uint32_t ssrc() const { return ssrc_; }
  bool started() const { return started_; }

 private:
  void restart(const RtpView& packet);

  // Ordered for size (one 64-byte line): the packet path reads all of it.
  bool started_ = false;
  bool haveTransit_ = false;
  uint16_t maxSeq_ = 0;
  uint32_t ssrc_ = 0;
  uint32_t cycles_ = 0;
  uint32_t baseSeq_ = 0;
  uint32_t badSeq_ = 0x10001;  // RTP_SEQ_MOD + 1: no bad sequence pending
  uint32_t clockRate_ = 8000;
  int64_t received_ = 0;
  int64_t lostOfEarlierStreams_ = 0;
  double jitter_ = 0;
  double lastTransit_ = 0;
  // Derived from clockRate_ when it changes, so no packet divides.
  double microsPerUnit_ = 1e6 / 8000;
};

}  // namespace tandem
