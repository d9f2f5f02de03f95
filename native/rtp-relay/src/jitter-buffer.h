// Adaptive jitter buffer for the paths where Tandem itself consumes a party's audio (Record,
// inband DTMF). The relay path never buffers. Audio is placed by RTP timestamp into a sample
// ring and played out at a fixed cadence; the playout delay follows 3x the measured jitter
// (RFC 3550 estimator) between one frame and 200 ms, shrinking by skipping a frame and growing
// by stretching one.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tandem {

class JitterBuffer {
 public:
  explicit JitterBuffer(uint32_t frameSamples);

  /** Stores decoded samples starting at RTP `timestamp` (8 kHz). */
  void put(uint32_t ssrc, uint32_t timestamp, const int16_t* samples, size_t count, int64_t arrivalNs);
  /** Plays out one frame; false (and nothing written) until the first packet arrived. */
  bool get(int16_t* out);

  uint64_t latePackets() const { return late_; }
  uint64_t concealedFrames() const { return concealed_; }
  uint32_t targetDelaySamples() const { return target_; }

 private:
  void restart(uint32_t ssrc, uint32_t timestamp);
  int32_t buffered() const { return static_cast<int32_t>(newest_ - playout_); }

  static constexpr uint32_t kRing = 16384;  // 2 s at 8 kHz
  static constexpr uint32_t kMaxDelay = 1600;  // 200 ms
  uint32_t frame_;
  std::vector<int16_t> samples_;
  std::vector<uint8_t> present_;
  bool started_ = false;
  uint32_t ssrc_ = 0;
  uint32_t playout_ = 0;  // timestamp of the next sample to play
  uint32_t newest_ = 0;   // one past the newest sample stored
  double jitter_ = 0;     // in samples
  double lastTransit_ = 0;
  bool haveTransit_ = false;
  uint32_t target_;
  uint64_t late_ = 0;
  uint64_t concealed_ = 0;
};

}  // namespace tandem
