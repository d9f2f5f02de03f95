// Counters written by one I/O thread and read by the JS thread. A relaxed load+store is a
// plain move on x86-64: no lock prefix on the packet path, and readers never see torn values.
#pragma once
#include <atomic>
#include <cstdint>

namespace tandem {

using Counter = std::atomic<uint64_t>;
using SignedGauge = std::atomic<int64_t>;

inline void bump(Counter& counter, uint64_t amount = 1) {
  counter.store(counter.load(std::memory_order_relaxed) + amount, std::memory_order_relaxed);
}
inline uint64_t loadCounter(const Counter& counter) { return counter.load(std::memory_order_relaxed); }

/** RTP sent to the party: apart, so they share the sending leg's first cache line. */
struct SendCounters {
  Counter packets{0};
  Counter bytes{0};
};

/** Per-endpoint counters (one RTP/RTCP pair facing one party). */
struct EndpointCounters {
  // Touched by every received packet: first.
  Counter rxPackets{0};
  Counter rxBytes{0};
  Counter lost{0};
  Counter jitterMicros{0};
  Counter rejectedPackets{0};  // from a source the latch refused (injection attempts)
  Counter malformedPackets{0};
  Counter sendErrors{0};
  Counter rtcpRxPackets{0};
  Counter rtcpTxPackets{0};
  SignedGauge rtcpFractionLost256{-1};  // last RTCP report block about our stream, -1 = none
  SignedGauge rtcpRttMicros{-1};
};

}  // namespace tandem
