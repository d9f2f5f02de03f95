#include "jitter-buffer.h"

#include <cmath>
#include <cstring>

namespace tandem {

JitterBuffer::JitterBuffer(uint32_t frameSamples)
    : frame_(frameSamples ? frameSamples : 160), samples_(kRing, 0), present_(kRing, 0), target_(2 * frame_) {}

void JitterBuffer::restart(uint32_t ssrc, uint32_t timestamp) {
  std::memset(present_.data(), 0, present_.size());
  started_ = true;
  ssrc_ = ssrc;
  playout_ = timestamp - target_;
  newest_ = timestamp;
  haveTransit_ = false;
}

void JitterBuffer::put(uint32_t ssrc, uint32_t timestamp, const int16_t* samples, size_t count, int64_t arrivalNs) {
  if (count == 0 || count > kRing / 4) return;
  // A new source or a jump of more than a second is a new stream: start over.
  if (!started_ || ssrc != ssrc_ || std::abs(static_cast<int32_t>(timestamp - newest_)) > 8000) {
    restart(ssrc, timestamp);
  }
  const double arrival = static_cast<double>(arrivalNs) * 8e-6;  // in 8 kHz samples
  const double transit = arrival - static_cast<double>(timestamp);
  if (haveTransit_) jitter_ += (std::fabs(transit - lastTransit_) - jitter_) / 16.0;
  lastTransit_ = transit;
  haveTransit_ = true;
  const double wanted = frame_ + 3.0 * jitter_;
  target_ = static_cast<uint32_t>(wanted > kMaxDelay ? kMaxDelay : wanted);

  if (static_cast<int32_t>(timestamp + count - playout_) <= 0) {
    ++late_;  // entirely in the past
    return;
  }
  for (size_t i = 0; i < count; ++i) {
    const uint32_t at = timestamp + static_cast<uint32_t>(i);
    if (static_cast<int32_t>(at - playout_) < 0) continue;
    samples_[at % kRing] = samples[i];
    present_[at % kRing] = 1;
  }
  const uint32_t end = timestamp + static_cast<uint32_t>(count);
  if (static_cast<int32_t>(end - newest_) > 0) newest_ = end;
}

bool JitterBuffer::get(int16_t* out) {
  if (!started_) return false;
  // Too little buffered for the target (or nothing: the sender runs slow or paused): stretch,
  // playing concealment without advancing, so what arrives next is not already late.
  if (buffered() < static_cast<int32_t>(target_) - static_cast<int32_t>(frame_)) {
    std::memset(out, 0, frame_ * sizeof(int16_t));
    ++concealed_;
    return true;
  }
  bool missing = false;
  for (uint32_t i = 0; i < frame_; ++i) {
    const uint32_t slot = (playout_ + i) % kRing;
    if (present_[slot]) {
      out[i] = samples_[slot];
      present_[slot] = 0;
    } else {
      out[i] = 0;
      missing = true;
    }
  }
  if (missing) ++concealed_;
  playout_ += frame_;
  // Too much buffered: skip one frame to cut the delay back toward the target.
  if (buffered() > static_cast<int32_t>(target_ + 2 * frame_)) {
    for (uint32_t i = 0; i < frame_; ++i) present_[(playout_ + i) % kRing] = 0;
    playout_ += frame_;
  }
  return true;
}

}  // namespace tandem
