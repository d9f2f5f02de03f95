#include "rtp-receive-stats.h"

#include <cmath>

namespace tandem {

namespace {
constexpr uint32_t kSeqMod = 1u << 16;
constexpr uint16_t kMaxDropout = 3000;  // RFC 3550 A.1 MAX_DROPOUT
constexpr uint16_t kMaxMisorder = 100;  // RFC 3550 A.1 MAX_MISORDER
}  // namespace

void RtpReceiveStats::restart(const RtpView& packet) {
  if (started_) lostOfEarlierStreams_ = lost();
  started_ = true;
  ssrc_ = packet.ssrc;
  maxSeq_ = packet.sequence;
  cycles_ = 0;
  baseSeq_ = packet.sequence;
  badSeq_ = kSeqMod + 1;
  received_ = 0;
  haveTransit_ = false;
}

void RtpReceiveStats::update(const RtpView& packet, int64_t arrivalNs, uint32_t clockRate,
                             bool timingValid) {
  // A new SSRC is a new stream (RFC 3550 §8.2): its sequence space starts afresh, and the
  // loss counted so far is kept.
  if (!started_ || packet.ssrc != ssrc_) restart(packet);

  const uint16_t seq = packet.sequence;
  const uint16_t delta = static_cast<uint16_t>(seq - maxSeq_);
  if (received_ == 0) {
    // first packet of this SSRC: counted below
  } else if (delta < kMaxDropout) {
    if (seq < maxSeq_) cycles_ += kSeqMod;  // wrapped
    maxSeq_ = seq;
  } else if (delta <= kSeqMod - kMaxMisorder) {
    // A very large jump: resynchronise only when the next packet confirms it (RFC 3550 A.1).
    if (seq == badSeq_) {
      lostOfEarlierStreams_ = lost();
      maxSeq_ = seq;
      cycles_ = 0;
      baseSeq_ = seq;
      received_ = 0;
      haveTransit_ = false;
      badSeq_ = kSeqMod + 1;
    } else {
      badSeq_ = (seq + 1u) & (kSeqMod - 1);
      return;
    }
  }
  // else: duplicate or reordered packet, counted as received
  ++received_;

  if (clockRate != 0 && timingValid) {
    if (clockRate != clockRate_) {
      clockRate_ = clockRate;
      microsPerUnit_ = 1e6 / clockRate;
      haveTransit_ = false;
    }
    // RFC 3550 A.8: transit in timestamp units; J += (|D| - J) / 16.
    const double arrival = static_cast<double>(arrivalNs) * 1e-9 * clockRate;
    const double transit = arrival - static_cast<double>(packet.timestamp);
    if (haveTransit_) {
      double d = transit - lastTransit_;
      // The timestamp is 32-bit: fold differences that crossed its wrap.
      if (d > 2147483648.0) d -= 4294967296.0;
      if (d < -2147483648.0) d += 4294967296.0;
      jitter_ += (std::fabs(d) - jitter_) / 16.0;
    }
    lastTransit_ = transit;
    haveTransit_ = true;
  }
}

}  // namespace tandem
