// One epoll I/O thread. It owns a set of endpoints: reads their sockets, relays, runs their
// media timers and timeouts. Commands from the JS thread arrive through a queue and one
// eventfd per worker (never one descriptor per endpoint).
#pragma once
#include <sys/epoll.h>
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "media-event.h"
#include "rtp-packet.h"
#include "socket-address.h"

namespace tandem {

class Endpoint;

class Worker {
 public:
  /**
   * `pollTickNs`: while packets keep arriving, successive wake-ups are spaced at least this
   * far apart so each wake-up drains many sockets (0 = wake per readiness). `relatchSilenceNs`:
   * the endpoints' re-latch window, which sets how often connected sockets are checked.
   */
  Worker(EventQueue& events, int64_t pollTickNs, int64_t relatchSilenceNs);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  /** Creates the epoll/eventfd pair and starts the thread; false with `error` set. */
  bool start(std::string& error);
  /** Stops and joins the thread (idempotent). */
  void stop();

  /**
   * Queues a command for the worker thread (FIFO). It runs before any packet the worker reads
   * after this call, but the worker is only woken for it by wakeIfDue(): the JS thread calls
   * that once per event-loop turn, so the commands of a whole turn share one wake-up.
   */
  void post(std::function<void()> command);
  /** Wakes the worker if commands were posted since it last ran them and no wake-up is pending. */
  void wakeIfDue();
  /** Runs `command` on the worker thread and waits for it (inline when stopped). */
  void runSync(const std::function<void()>& command);

  /** Endpoints owned, for placing new ones on the least loaded worker. */
  size_t load() const { return load_.load(std::memory_order_relaxed); }
  void addLoad(int delta) { load_.fetch_add(delta, std::memory_order_relaxed); }

  // ---- called on the worker thread ----
  /** Starts watching the endpoint's sockets. */
  void attach(Endpoint* endpoint);
  /** Stops watching them; safe to free the endpoint afterwards. */
  void detach(Endpoint* endpoint);
  /**
   * Registers an endpoint whose RTP timeout or keepalive is armed, for the 100 ms check;
   * idempotent. Only these are visited: walking every endpoint's cold memory ten times a
   * second cost cache misses on the packet path for nothing.
   */
  void watchTimeouts(Endpoint* endpoint);
  /**
   * Registers an endpoint whose RTP socket was just connected: checked every half re-latch
   * window (not every 100 ms: each check is cache misses on the packet path's lines) until
   * its source falls silent and the connection is dissolved.
   */
  void watchConnection(Endpoint* endpoint);
  /** Registers an endpoint that needs timer callbacks (media); idempotent. */
  void wantTimers(Endpoint* endpoint);
  void emit(const MediaEvent& event);
  /** Hands the events emitted so far to the queue now (before a synchronous command returns). */
  void flushEventsNow() { flushEvents(); }
  /** Monotonic time of the current loop iteration. */
  int64_t now() const { return nowNs_; }
  void refreshNow();

 private:
  void run();
  void runCommands();
  /** epoll_pwait2 (ns timeout), or epoll_wait rounded up to ms where the kernel lacks it. */
  int waitForEvents(epoll_event* ready, int capacity, const timespec& timeout);
  /** One recvmmsg on a socket; true when its queue is now empty. */
  bool readSocket(Endpoint* endpoint, bool rtcp);
  /** Restores the receive header fields the kernel overwrote for slot `index`. */
  void resetSlot(int index);
  /** The packet's kernel receive time (wall clock ns), or now when the kernel gave none. */
  static int64_t arrivalTime(msghdr& header);
  /** Reads a ready socket (edge-triggered) until empty, or defers the rest to the backlog. */
  void drainSocket(uint64_t tag);
  /** Prefetches the receiving side's hot lines of the endpoint behind an epoll tag. */
  static void prefetchEndpoint(uint64_t tag);
  /** Prefetches the hot lines of that endpoint's peer (the sending side). */
  static void prefetchPeer(uint64_t tag);
  void runTimers();
  void flushEvents();

  EventQueue& events_;
  int64_t pollTickNs_;
  int epollFd_ = -1;
  int wakeFd_ = -1;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  bool running_ = false;
  std::atomic<size_t> load_{0};

  std::mutex commandMutex_;
  std::vector<std::function<void()>> commands_;
  /** Commands are queued and the eventfd was not written for them yet (under commandMutex_). */
  bool wakeDue_ = false;
  /** Set with commands_ non-empty: a worker woken by packets runs the commands first. */
  std::atomic<bool> hasCommands_{false};
  std::vector<std::function<void()>> runningCommands_;

  epoll_event* batch_ = nullptr;  // the readiness list being processed, for detach()
  int batchSize_ = 0;
  std::vector<uint64_t> backlog_;  // sockets left with data by drainSocket()
  std::vector<uint64_t> carried_;
  std::vector<Endpoint*> watched_;  // see watchTimeouts()
  std::vector<Endpoint*> connected_;  // see watchConnection()
  int64_t connectionCheckNs_;
  int64_t nextConnectionCheckNs_ = 0;
  std::vector<Endpoint*> timed_;
  std::vector<MediaEvent> pendingEvents_;
  int64_t nowNs_ = 0;
  bool havePreciseWait_ = true;
  int64_t nextHousekeepingNs_ = 0;

  static constexpr int kBatch = 4;
  struct ReceiveSlot {
    uint8_t data[kMaxPacketSize];
    SocketAddress source;
    alignas(8) uint8_t control[80];  // a timestamp (32 bytes), and PKTINFO (40 for IPv6) on wildcard sockets
  };
  ReceiveSlot slots_[kBatch];
  mmsghdr messages_[kBatch];
  iovec vectors_[kBatch];
};

int64_t monotonicNs();

}  // namespace tandem
