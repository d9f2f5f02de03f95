// The media engine as seen from the JS thread: workers, port pool and endpoint registry.
// No Node-API types here; addon.cc adapts this to JavaScript.
#pragma once
#include <cstdint>
#include <functional>
#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "endpoint.h"
#include "media-event.h"
#include "port-pool.h"
#include "worker.h"

namespace tandem {

enum class ErrorCode { None = 0, NoPorts, BindFailed, BadArgument, Released, Io, Unsupported, Closed };

const char* errorCodeName(ErrorCode code);

/** The outcome of an engine call: never an exception across the Node-API boundary. */
struct Result {
  ErrorCode code = ErrorCode::None;
  std::string message;
  bool ok() const { return code == ErrorCode::None; }
  static Result error(ErrorCode code, std::string message) { return Result{code, std::move(message)}; }
};

struct EngineOptions {
  uint16_t portStart = 10000;
  uint16_t portEnd = 20000;
  int threads = 1;
  int64_t pollTickNs = 200'000;
  int64_t relatchSilenceNs = 2'000'000'000;
  /** Endpoints an I/O thread takes before the next thread is used (see placeNewEndpoint()). */
  size_t endpointsPerThread = 2048;
  std::string soundsDir;
  size_t eventQueueCapacity = 16384;
};

/** A snapshot of one endpoint's counters for stats(). */
struct EndpointStats {
  uint64_t rxPackets, rxBytes, txPackets, txBytes, lost, rejected, malformed, sendErrors;
  double jitterMs;
  uint64_t rtcpRxPackets, rtcpTxPackets;
  int64_t rtcpFractionLost256, rtcpRttMicros;
  bool hasRemote;
  std::string remoteHost;
  uint16_t remotePort;
};

class Engine {
 public:
  explicit Engine(const EngineOptions& options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /** Starts the workers; must succeed before anything else is called. */
  Result start();
  /** Stops the workers and closes every socket (idempotent). */
  void close();
  bool closed() const { return closed_; }

  EventQueue& events() { return events_; }
  const EngineOptions& options() const { return options_; }
  /** Port pairs bound, not counting those already released and closing on their worker. */
  size_t portsInUse() const {
    std::lock_guard<std::mutex> lock(portsMutex_);
    const size_t closing = static_cast<size_t>(std::max(0, releasesInFlight_.load()));
    return ports_.inUse() > closing ? ports_.inUse() - closing : 0;
  }
  size_t portCapacity() const { return ports_.capacity(); }
  size_t endpointCount() const { return endpoints_.size(); }

  /**
   * Binds an RTP/RTCP pair on `localAddress`. With `nearId` (another live endpoint, e.g. the
   * other leg of the call) the new endpoint goes to that endpoint's worker, so connecting them
   * later moves nothing between threads.
   */
  Result allocate(const std::string& localAddress, uint32_t nearId, uint32_t& id, uint16_t& rtpPort);
  Result release(uint32_t id);
  Result setRemote(uint32_t id, const std::string& host, uint16_t rtpPort, int rtcpPort, bool symmetric);
  Result setCodec(uint32_t id, const CodecSettings& codec);
  Result connect(uint32_t a, uint32_t b);
  Result disconnect(uint32_t id);
  Result setDirection(uint32_t id, Direction direction);
  Result setDtmfMode(uint32_t id, DtmfMode mode);
  Result setTimeouts(uint32_t id, int64_t rtpTimeoutMs, int64_t holdTimeoutMs, int64_t keepaliveMs);
  Result stats(uint32_t id, EndpointStats& out);

  Result play(uint32_t id, uint32_t operation, std::vector<std::string> files, std::string interruptDigits,
              bool loop);
  Result playTones(uint32_t id, const std::string& tones);
  Result stopTones(uint32_t id);
  Result setEcho(uint32_t id, bool on);
  Result record(uint32_t id, uint32_t operation, const RecordOptions& options);
  Result stopMedia(uint32_t id);
  Result sendDtmf(uint32_t id, uint32_t operation, const std::string& digits, uint32_t durationMs);
  Result injectDtmf(uint32_t id, char digit, uint32_t durationMs);

  /** Wakes the workers that have commands queued since their last wake-up (once per JS loop turn). */
  void wakeWorkers() {
    for (auto& worker : workers_) worker->wakeIfDue();
  }

  /** Finds a live endpoint, or fills `result` with 'released'. */
  Endpoint* find(uint32_t id, Result& result);

 private:
  Worker* leastLoaded();
  Worker* placeNewEndpoint();
  /** Waits until every worker has run what was posted so far (releases in flight included). */
  void drainWorkers();
  /** Posts media work for an endpoint and registers it for timers when the work needs them. */
  Result withMedia(uint32_t id, std::function<void(Worker&, Endpoint&)> work);

  EngineOptions options_;
  EventQueue events_;
  // Allocation runs on the JS thread, release finishes on a worker: the pool is shared.
  mutable std::mutex portsMutex_;
  PortPool ports_;
  /** Releases posted to workers whose port pair is not back in the pool yet. */
  std::atomic<int> releasesInFlight_{0};
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unordered_map<uint32_t, std::unique_ptr<Endpoint>> endpoints_;
  uint32_t nextId_ = 1;
  bool closed_ = false;
};

}  // namespace tandem
