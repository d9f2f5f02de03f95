// The rtp.conf port range: RTP on even ports, RTCP on the odd port above.
#pragma once
#include <cstdint>
#include <random>
#include <vector>

namespace tandem {

class PortPool {
 public:
  /** res_rtp_asterisk: an odd rtpstart is rounded up to even. */
  PortPool(uint16_t start, uint16_t end);

  /**
   * Visits candidate RTP ports the way res_rtp_asterisk's rtp_allocate_transport() does: from
   * a random even port in the range, upwards by 2, wrapping once. `tryBind` returns true when
   * the port is taken by us; ports already in use here are skipped.
   */
  template <typename TryBind>
  int acquire(TryBind tryBind) {
    const size_t slots = inUse_.size();
    if (slots == 0) return -1;
    const size_t first = std::uniform_int_distribution<size_t>(0, slots - 1)(random_);
    for (size_t step = 0; step < slots; ++step) {
      const size_t slot = (first + step) % slots;
      if (inUse_[slot]) continue;
      const uint16_t port = static_cast<uint16_t>(start_ + 2 * slot);
      if (tryBind(port)) {
        inUse_[slot] = true;
        ++count_;
        return port;
      }
    }
    return -1;
  }
  void release(uint16_t port);
  size_t inUse() const { return count_; }
  size_t capacity() const { return inUse_.size(); }

 private:
  uint16_t start_;
  std::vector<bool> inUse_;
  size_t count_ = 0;
  std::mt19937 random_{std::random_device{}()};
};

}  // namespace tandem
