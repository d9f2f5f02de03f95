#include "engine.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dtmf.h"
#include "remote-connection.h"
#include "tone-generator.h"

namespace tandem {

const char* errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::None: return "none";
    case ErrorCode::NoPorts: return "no-ports";
    case ErrorCode::BindFailed: return "bind-failed";
    case ErrorCode::BadArgument: return "bad-argument";
    case ErrorCode::Released: return "released";
    case ErrorCode::Io: return "io";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::Closed: return "closed";
  }
  return "io";
}

Engine::Engine(const EngineOptions& options)
    : options_(options), events_(options.eventQueueCapacity), ports_(options.portStart, options.portEnd) {}

Engine::~Engine() { close(); }

Result Engine::start() {
  if (ports_.capacity() == 0) {
    return Result::error(ErrorCode::BadArgument, "the RTP port range holds no even/odd port pair");
  }
  const int threads = options_.threads < 1 ? 1 : options_.threads;
  for (int i = 0; i < threads; ++i) {
    auto worker = std::make_unique<Worker>(events_, options_.pollTickNs, options_.relatchSilenceNs);
    std::string error;
    if (!worker->start(error)) {
      close();
      return Result::error(ErrorCode::Io, error);
    }
    workers_.push_back(std::move(worker));
  }
  return Result{};
}

void Engine::close() {
  if (closed_) return;
  closed_ = true;
  for (auto& worker : workers_) worker->stop();
  // Workers are stopped: endpoints are ours alone; their destructors close the sockets.
  endpoints_.clear();
  workers_.clear();
}

// New endpoints fill one I/O thread before the next one is used. At 50 pps per socket a
// thread's wake-up, once per poll tick, costs about the same for ten sockets as for a
// thousand: spreading a light load over every thread multiplied the wake-ups (two threads
// spent 1.5x the CPU per packet of one at 500 calls in the media bench). Once every thread
// holds its share, the least loaded takes the next.
Worker* Engine::placeNewEndpoint() {
  for (auto& worker : workers_) {
    if (worker->load() < options_.endpointsPerThread) return worker.get();
  }
  return leastLoaded();
}

Worker* Engine::leastLoaded() {
  Worker* best = nullptr;
  for (auto& worker : workers_) {
    if (best == nullptr || worker->load() < best->load()) best = worker.get();
  }
  return best;
}

namespace {
int openUdp(int family) { return socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0); }

bool bindTo(int fd, SocketAddress address, uint16_t port) {
  address.setPort(port);
  return bind(fd, address.raw(), address.length) == 0;
}
}  // namespace

void Engine::drainWorkers() {
  for (auto& worker : workers_) worker->runSync([] {});
}

Result Engine::allocate(const std::string& localAddress, uint32_t nearId, uint32_t& id, uint16_t& rtpPort) {
  if (closed_) return Result::error(ErrorCode::Closed, "the media engine is closed");
  SocketAddress local;
  if (!SocketAddress::parse(localAddress, 0, local)) {
    return Result::error(ErrorCode::BadArgument, "localAddress is not a numeric IP address: " + localAddress);
  }
  int rtpFd = -1;
  int rtcpFd = -1;
  int fatalErrno = 0;
  const auto tryBind = [&](uint16_t candidate) {
    if (fatalErrno != 0) return false;
    rtpFd = openUdp(local.family());
    rtcpFd = openUdp(local.family());
    if (rtpFd < 0 || rtcpFd < 0) {
      fatalErrno = errno;
    } else if (bindTo(rtpFd, local, candidate) && bindTo(rtcpFd, local, candidate + 1)) {
      return true;
    } else if (errno != EADDRINUSE && errno != EACCES) {
      // res_rtp_asterisk stops the search on any bind error but "in use"/"denied".
      fatalErrno = errno;
    }
    if (rtpFd >= 0) ::close(rtpFd);
    if (rtcpFd >= 0) ::close(rtcpFd);
    rtpFd = rtcpFd = -1;
    return false;
  };
  int port;
  {
    std::lock_guard<std::mutex> lock(portsMutex_);
    port = ports_.acquire(tryBind);
  }
  if (port < 0 && fatalErrno == 0 && releasesInFlight_.load() > 0) {
    // Released pairs are still closing on their workers: let them finish, then look again,
    // so a pair freed just before is reusable at once (as with a synchronous release).
    drainWorkers();
    std::lock_guard<std::mutex> lock(portsMutex_);
    port = ports_.acquire(tryBind);
  }
  if (port < 0) {
    if (fatalErrno != 0) {
      return Result::error(ErrorCode::BindFailed,
                           "cannot bind RTP on " + localAddress + ": " + std::strerror(fatalErrno));
    }
    return Result::error(ErrorCode::NoPorts, "no free RTP port pair in " + std::to_string(options_.portStart) +
                                                 "-" + std::to_string(options_.portEnd));
  }
  const int on = 1;
  setsockopt(rtpFd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
  if (local.isUnspecified()) reportPacketDestinations(rtpFd, local.family());
  local.setPort(static_cast<uint16_t>(port));
  id = nextId_++;
  rtpPort = static_cast<uint16_t>(port);
  auto endpoint = std::make_unique<Endpoint>(id, rtpFd, rtcpFd, rtpPort, local, options_.relatchSilenceNs);
  Endpoint* raw = endpoint.get();
  Worker* worker = nullptr;
  if (nearId != 0) {
    auto near = endpoints_.find(nearId);
    if (near != endpoints_.end()) worker = near->second->owner;
  }
  if (worker == nullptr) worker = placeNewEndpoint();
  raw->owner = worker;
  worker->addLoad(1);
  endpoints_.emplace(id, std::move(endpoint));
  worker->post([worker, raw] { worker->attach(raw); });
  return Result{};
}

Endpoint* Engine::find(uint32_t id, Result& result) {
  if (closed_) {
    result = Result::error(ErrorCode::Closed, "the media engine is closed");
    return nullptr;
  }
  auto found = endpoints_.find(id);
  if (found == endpoints_.end()) {
    result = Result::error(ErrorCode::Released, "the media endpoint was released");
    return nullptr;
  }
  return found->second.get();
}

Result Engine::release(uint32_t id) {
  if (closed_) return Result::error(ErrorCode::Closed, "the media engine is closed");
  auto found = endpoints_.find(id);
  if (found == endpoints_.end()) return Result::error(ErrorCode::Released, "the media endpoint was released");
  // Asynchronous: the endpoint leaves the registry now (later calls get 'released'); its worker
  // stops its media, detaches it, closes both sockets and returns the port pair to the pool.
  // The JS thread never waits for a worker here (that wait dominated call teardown).
  Endpoint* endpoint = found->second.release();
  endpoints_.erase(found);
  Worker* worker = endpoint->owner;
  worker->addLoad(-1);
  releasesInFlight_.fetch_add(1);
  worker->post([this, worker, endpoint] {
    endpoint->shutdownMedia(*worker);
    worker->detach(endpoint);
    const uint16_t port = endpoint->rtpPort;
    delete endpoint;
    std::lock_guard<std::mutex> lock(portsMutex_);
    ports_.release(port);
    releasesInFlight_.fetch_sub(1);
  });
  return Result{};
}

Result Engine::setRemote(uint32_t id, const std::string& host, uint16_t rtpPort, int rtcpPort, bool symmetric) {
  Result result;
  Endpoint* endpoint = find(id, result);
  if (endpoint == nullptr) return result;
  SocketAddress rtp;
  if (!SocketAddress::parse(host, rtpPort, rtp)) {
    return Result::error(ErrorCode::BadArgument, "remote address is not a numeric IP address: " + host);
  }
  if (rtp.family() != endpoint->local.family()) {
    return Result::error(ErrorCode::BadArgument, "remote address family differs from the local address");
  }
  SocketAddress rtcp = rtp;
  rtcp.setPort(static_cast<uint16_t>(rtcpPort >= 0 ? rtcpPort : rtpPort + 1));
  endpoint->owner->post([endpoint, rtp, rtcp, symmetric] { endpoint->setRemote(rtp, rtcp, symmetric); });
  return Result{};
}

Result Engine::setCodec(uint32_t id, const CodecSettings& codec) {
  Result result;
  Endpoint* endpoint = find(id, result);
  if (endpoint == nullptr) return result;
  Worker* worker = endpoint->owner;
  worker->post([worker, endpoint, codec] { endpoint->setCodec(*worker, codec); });
  return Result{};
}

Result Engine::connect(uint32_t a, uint32_t b) {
  Result result;
  Endpoint* first = find(a, result);
  if (first == nullptr) return result;
  Endpoint* second = find(b, result);
  if (second == nullptr) return result;
  if (first == second) return Result::error(ErrorCode::BadArgument, "an endpoint cannot be connected to itself");
  Worker* target = first->owner;
  if (second->owner != target) {
    // Both legs of a relay live on one thread: the packet path then needs no lock. Move the
    // second endpoint: detach it synchronously, then attach it on the first one's worker.
    Worker* from = second->owner;
    from->runSync([from, second] { from->detach(second); });
    from->addLoad(-1);
    target->addLoad(1);
    second->owner = target;
    target->post([target, second] { target->attach(second); });
  }
  target->post([first, second] { Endpoint::link(*first, *second); });
  return Result{};
}

Result Engine::disconnect(uint32_t id) {
  Result result;
  Endpoint* endpoint = find(id, result);
  if (endpoint == nullptr) return result;
  endpoint->owner->post([endpoint] { endpoint->unlink(); });
  return Result{};
}

Result Engine::setDirection(uint32_t id, Direction direction) {
  Result result;
  Endpoint* endpoint = find(id, result);
  if (endpoint == nullptr) return result;
  endpoint->owner->post([endpoint, direction] { endpoint->setDirection(direction); });
  return Result{};
}

Result Engine::setDtmfMode(uint32_t id, DtmfMode mode) {
  Result result;
  Endpoint* endpoint = find(id, result);
  if (endpoint == nullptr) return result;
  Worker* worker = endpoint->owner;
  worker->post([worker, endpoint, mode] { endpoint->setDtmfMode(*worker, mode); });
  return Result{};
}

Result Engine::setTimeouts(uint32_t id, int64_t rtpTimeoutMs, int64_t holdTimeoutMs, int64_t keepaliveMs) {
  Result result;
  Endpoint* endpoint = find(id, result);
  if (endpoint == nullptr) return result;
  if (rtpTimeoutMs < 0 || holdTimeoutMs < 0 || keepaliveMs < 0) {
    return Result::error(ErrorCode::BadArgument, "timeouts must be >= 0 (0 = off)");
  }
  Worker* worker = endpoint->owner;
  worker->post([worker, endpoint, rtpTimeoutMs, holdTimeoutMs, keepaliveMs] {
    endpoint->setTimeouts(rtpTimeoutMs * 1'000'000, holdTimeoutMs * 1'000'000, keepaliveMs * 1'000'000, worker->now());
    if (endpoint->watchesTimeouts()) worker->watchTimeouts(endpoint);
  });
  return Result{};
}

Result Engine::stats(uint32_t id, EndpointStats& out) {
  Result result;
  Endpoint* endpoint = find(id, result);
  if (endpoint == nullptr) return result;
  const EndpointCounters& c = endpoint->counters;
  out.rxPackets = loadCounter(c.rxPackets);
  out.rxBytes = loadCounter(c.rxBytes);
  out.txPackets = loadCounter(endpoint->sent.packets);
  out.txBytes = loadCounter(endpoint->sent.bytes);
  out.lost = loadCounter(c.lost);
  out.rejected = loadCounter(c.rejectedPackets);
  out.malformed = loadCounter(c.malformedPackets);
  out.sendErrors = loadCounter(c.sendErrors);
  out.jitterMs = static_cast<double>(loadCounter(c.jitterMicros)) / 1000.0;
  out.rtcpRxPackets = loadCounter(c.rtcpRxPackets);
  out.rtcpTxPackets = loadCounter(c.rtcpTxPackets);
  out.rtcpFractionLost256 = c.rtcpFractionLost256.load(std::memory_order_relaxed);
  out.rtcpRttMicros = c.rtcpRttMicros.load(std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(endpoint->publishedRemote.mutex);
  out.hasRemote = endpoint->publishedRemote.valid;
  out.remoteHost = endpoint->publishedRemote.host;
  out.remotePort = endpoint->publishedRemote.port;
  return Result{};
}

Result Engine::withMedia(uint32_t id, std::function<void(Worker&, Endpoint&)> work) {
  Result result;
  Endpoint* endpoint = find(id, result);
  if (endpoint == nullptr) return result;
  Worker* worker = endpoint->owner;
  worker->post([worker, endpoint, work = std::move(work)] {
    work(*worker, *endpoint);
    endpoint->refreshMediaFlags();
    if (endpoint->needsTimers()) worker->wantTimers(endpoint);
  });
  return Result{};
}

Result Engine::play(uint32_t id, uint32_t operation, std::vector<std::string> files, std::string interruptDigits,
                    bool loop) {
  if (files.empty()) return Result::error(ErrorCode::BadArgument, "play() needs at least one file");
  const std::string soundsDir = options_.soundsDir;
  return withMedia(id, [operation, files = std::move(files), interruptDigits = std::move(interruptDigits),
                        soundsDir, loop](Worker& worker, Endpoint& endpoint) mutable {
    endpoint.media().play(worker, operation, std::move(files), std::move(interruptDigits), soundsDir, loop);
  });
}

Result Engine::playTones(uint32_t id, const std::string& tones) {
  ToneList list;
  std::string error;
  if (!parseToneList(tones, list, error)) return Result::error(ErrorCode::BadArgument, error);
  return withMedia(id, [list = std::move(list)](Worker& worker, Endpoint& endpoint) mutable {
    endpoint.media().playTones(worker, std::move(list));
  });
}

Result Engine::stopTones(uint32_t id) {
  return withMedia(id, [](Worker& worker, Endpoint& endpoint) { endpoint.media().stopTones(worker); });
}

Result Engine::setEcho(uint32_t id, bool on) {
  return withMedia(id, [on](Worker&, Endpoint& endpoint) { endpoint.media().setEcho(on); });
}

Result Engine::record(uint32_t id, uint32_t operation, const RecordOptions& options) {
  if (options.path.empty()) return Result::error(ErrorCode::BadArgument, "record() needs a file path");
  return withMedia(id, [operation, options](Worker& worker, Endpoint& endpoint) {
    endpoint.media().record(worker, operation, options);
  });
}

Result Engine::stopMedia(uint32_t id) {
  return withMedia(id, [](Worker& worker, Endpoint& endpoint) { endpoint.media().stopMedia(worker); });
}

Result Engine::sendDtmf(uint32_t id, uint32_t operation, const std::string& digits, uint32_t durationMs) {
  for (char digit : digits) {
    if (dtmfEventForDigit(digit) < 0) {
      return Result::error(ErrorCode::BadArgument, std::string("not a DTMF digit: '") + digit + "'");
    }
  }
  if (digits.empty()) return Result::error(ErrorCode::BadArgument, "sendDtmf() needs at least one digit");
  return withMedia(id, [operation, digits, durationMs](Worker& worker, Endpoint& endpoint) {
    endpoint.media().sendDtmf(worker, operation, digits, durationMs);
  });
}

Result Engine::injectDtmf(uint32_t id, char digit, uint32_t durationMs) {
  if (dtmfEventForDigit(digit) < 0) return Result::error(ErrorCode::BadArgument, "not a DTMF digit");
  return withMedia(id, [digit, durationMs](Worker& worker, Endpoint& endpoint) {
    endpoint.media().digitFromSignalling(worker, digit, durationMs);
  });
}

}  // namespace tandem
