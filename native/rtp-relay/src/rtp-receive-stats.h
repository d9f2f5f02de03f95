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
  int64_t lost() const;
  /** Interarrival jitter in milliseconds (RFC 3550 A.8). */
  double jitterMs() const { return clockRate_ ? jitter_ / clockRate_ * 1000.0 : 0.0; }
  /** Extended highest sequence number received (RFC 3550 §6.4.1). */
  uint32_t extendedMax() const { return cycles_ + maxSeq_; }
  uint32_t ssrc() const { return ssrc_; }
  bool started() const { return started_; }

 private:
  void restart(const RtpView& packet);

  bool started_ = false;
  uint32_t ssrc_ = 0;
  uint16_t maxSeq_ = 0;
  uint32_t cycles_ = 0;
  uint32_t baseSeq_ = 0;
  uint32_t badSeq_ = 0x10001;  // RTP_SEQ_MOD + 1: no bad sequence pending
  int64_t received_ = 0;
  int64_t lostOfEarlierStreams_ = 0;
  double jitter_ = 0;
  double lastTransit_ = 0;
  bool haveTransit_ = false;
  uint32_t clockRate_ = 8000;
};

}  // namespace tandem
