#include "port-pool.h"

namespace tandem {

PortPool::PortPool(uint16_t start, uint16_t end) : start_(static_cast<uint16_t>((start + 1) & ~1)) {
  // Every even port p with start <= p <= end is an RTP port; its RTCP port p+1 must exist.
  size_t slots = 0;
  for (uint32_t port = start_; port <= end && port + 1 <= 65535; port += 2) ++slots;
  inUse_.assign(slots, false);
}

void PortPool::release(uint16_t port) {
  if (port < start_) return;
  const size_t slot = (port - start_) / 2;
  if (slot < inUse_.size() && inUse_[slot]) {
    inUse_[slot] = false;
    --count_;
  }
}

}  // namespace tandem
