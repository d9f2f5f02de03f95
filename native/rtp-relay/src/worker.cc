#include "worker.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "endpoint.h"
#include "packet-io.h"

namespace tandem {

namespace {
constexpr int64_t kHousekeepingNs = 100'000'000;  // timeouts are checked every 100 ms
constexpr uint64_t kWakeTag = 0;
constexpr uint64_t kSkipTag = ~uint64_t(0);

int64_t timespecNs(const timespec& ts) { return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec; }

timespec nsTimespec(int64_t ns) {
  timespec ts;
  ts.tv_sec = ns / 1'000'000'000;
  ts.tv_nsec = ns % 1'000'000'000;
  return ts;
}

uint64_t socketTag(Endpoint* endpoint, bool rtcp) {
  return reinterpret_cast<uintptr_t>(endpoint) | (rtcp ? 1u : 0u);
}
}  // namespace

int64_t monotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return timespecNs(ts);
}

Worker::Worker(EventQueue& events, int64_t pollTickNs, int64_t relatchSilenceNs)
    : events_(events),
      pollTickNs_(pollTickNs),
      connectionCheckNs_(std::clamp<int64_t>(relatchSilenceNs / 2, kHousekeepingNs, 10 * kHousekeepingNs)) {
  pendingEvents_.reserve(1024);
  backlog_.reserve(4096);
  carried_.reserve(4096);
  for (int i = 0; i < kBatch; ++i) {
    vectors_[i].iov_base = slots_[i].data;
    vectors_[i].iov_len = sizeof(slots_[i].data);
    msghdr& header = messages_[i].msg_hdr;
    std::memset(&header, 0, sizeof(header));
    header.msg_name = &slots_[i].source.storage;
    header.msg_iov = &vectors_[i];
    header.msg_iovlen = 1;
    header.msg_control = slots_[i].control;
    resetSlot(i);
  }
}

Worker::~Worker() {
  stop();
  if (epollFd_ >= 0) close(epollFd_);
  if (wakeFd_ >= 0) close(wakeFd_);
}

bool Worker::start(std::string& error) {
  epollFd_ = epoll_create1(EPOLL_CLOEXEC);
  wakeFd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epollFd_ < 0 || wakeFd_ < 0) {
    error = std::string("epoll/eventfd: ") + std::strerror(errno);
    return false;
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kWakeTag;
  if (epoll_ctl(epollFd_, EPOLL_CTL_ADD, wakeFd_, &event) != 0) {
    error = std::string("epoll_ctl: ") + std::strerror(errno);
    return false;
  }
  nowNs_ = monotonicNs();
  nextHousekeepingNs_ = nowNs_ + kHousekeepingNs;
  nextConnectionCheckNs_ = nowNs_ + connectionCheckNs_;
  running_ = true;
  thread_ = std::thread([this] { run(); });
  return true;
}

void Worker::stop() {
  if (!running_) return;
  stopping_.store(true);
  const uint64_t one = 1;
  if (write(wakeFd_, &one, sizeof(one)) < 0) {
    // The eventfd cannot be full with a counter this small; nothing else to do.
  }
  thread_.join();
  running_ = false;
  runCommands();  // commands posted after the last iteration still run, on this thread
}

void Worker::post(std::function<void()> command) {
  std::lock_guard<std::mutex> lock(commandMutex_);
  // Only the command that finds the queue empty makes a wake-up due: later ones are picked up
  // by the same swap in runCommands(). A call's setup posts several commands in a row, and an
  // eventfd write per command was a syscall and a wake-up of the worker each.
  if (commands_.empty()) wakeDue_ = true;
  commands_.push_back(std::move(command));
  hasCommands_.store(true, std::memory_order_release);
}

void Worker::wakeIfDue() {
  {
    std::lock_guard<std::mutex> lock(commandMutex_);
    if (!wakeDue_) return;
    wakeDue_ = false;
  }
  const uint64_t one = 1;
  if (write(wakeFd_, &one, sizeof(one)) < 0) {
    // EAGAIN only when the counter would overflow: the worker is already due to wake.
  }
}

void Worker::runSync(const std::function<void()>& command) {
  if (!running_) {
    command();
    return;
  }
  std::mutex doneMutex;
  std::condition_variable doneSignal;
  bool done = false;
  post([&] {
    command();
    std::lock_guard<std::mutex> lock(doneMutex);
    done = true;
    doneSignal.notify_one();
  });
  wakeIfDue();
  std::unique_lock<std::mutex> lock(doneMutex);
  doneSignal.wait(lock, [&] { return done; });
}

void Worker::refreshNow() { nowNs_ = monotonicNs(); }

void Worker::attach(Endpoint* endpoint) {
  for (bool rtcp : {false, true}) {
    epoll_event event{};
    // Edge-triggered: a socket read until it is empty is not polled again for nothing.
    event.events = EPOLLIN | EPOLLET;
    event.data.u64 = socketTag(endpoint, rtcp);
    epoll_ctl(epollFd_, EPOLL_CTL_ADD, rtcp ? endpoint->rtcpFd : endpoint->rtpFd, &event);
  }
  if (endpoint->watchesTimeouts()) watchTimeouts(endpoint);
  if (endpoint->remoteConnected()) watchConnection(endpoint);  // handed over from another worker
  if (endpoint->needsTimers()) wantTimers(endpoint);
}

void Worker::detach(Endpoint* endpoint) {
  epoll_ctl(epollFd_, EPOLL_CTL_DEL, endpoint->rtpFd, nullptr);
  epoll_ctl(epollFd_, EPOLL_CTL_DEL, endpoint->rtcpFd, nullptr);
  for (int i = 0; i < batchSize_; ++i) {
    const uint64_t tag = batch_[i].data.u64;
    if (tag != kWakeTag && tag != kSkipTag && (tag & ~uint64_t(1)) == reinterpret_cast<uintptr_t>(endpoint)) {
      batch_[i].data.u64 = kSkipTag;
    }
  }
  backlog_.erase(std::remove_if(backlog_.begin(), backlog_.end(),
                                [endpoint](uint64_t tag) {
                                  return (tag & ~uint64_t(1)) == reinterpret_cast<uintptr_t>(endpoint);
                                }),
                 backlog_.end());
  endpoint->unlink();
  watched_.erase(std::remove(watched_.begin(), watched_.end(), endpoint), watched_.end());
  connected_.erase(std::remove(connected_.begin(), connected_.end(), endpoint), connected_.end());
  timed_.erase(std::remove(timed_.begin(), timed_.end(), endpoint), timed_.end());
}

void Worker::watchTimeouts(Endpoint* endpoint) {
  if (std::find(watched_.begin(), watched_.end(), endpoint) == watched_.end()) watched_.push_back(endpoint);
}

void Worker::watchConnection(Endpoint* endpoint) {
  // Once per connection (usually once per call): the search keeps an endpoint that reconnects
  // before its next check from being listed twice.
  if (std::find(connected_.begin(), connected_.end(), endpoint) == connected_.end()) connected_.push_back(endpoint);
}

void Worker::wantTimers(Endpoint* endpoint) {
  if (std::find(timed_.begin(), timed_.end(), endpoint) == timed_.end()) timed_.push_back(endpoint);
}

void Worker::emit(const MediaEvent& event) {
  if (pendingEvents_.size() < pendingEvents_.capacity()) {
    pendingEvents_.push_back(event);
  } else {
    flushEvents();
    pendingEvents_.push_back(event);
  }
}

void Worker::flushEvents() {
  if (pendingEvents_.empty()) return;
  events_.push(pendingEvents_.data(), pendingEvents_.size());
  pendingEvents_.clear();
}

void Worker::runCommands() {
  {
    std::lock_guard<std::mutex> lock(commandMutex_);
    runningCommands_.swap(commands_);
    // What is queued from now on needs a wake-up of its own.
    wakeDue_ = false;
    hasCommands_.store(false, std::memory_order_relaxed);
  }
  for (auto& command : runningCommands_) command();
  runningCommands_.clear();
  flushEvents();
}

bool Worker::readSocket(Endpoint* endpoint, bool rtcp) {
  // The headers point into slots_ once and for all (constructor); what the kernel overwrites
  // is put back after use below, only for the slots it filled (usually one at 50 pps).
  mmsghdr* messages = messages_;
  const int count = receiveDatagrams(rtcp ? endpoint->rtcpFd : endpoint->rtpFd, messages, kBatch);
  // Fewer than asked, or an error, means the socket queue is empty, except an error an ICMP
  // message left on a connected socket (port or host unreachable): it is reported once, ahead
  // of any queued datagram, so read on.
  const bool drained = count < 0 ? !(errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH)
                                 : count < kBatch;
  for (int i = 0; i < count; ++i) {
    msghdr& header = messages[i].msg_hdr;
    SocketAddress& source = slots_[i].source;  // received in place: no copy per packet
    source.length = header.msg_namelen;
    const size_t length = messages[i].msg_len;
    if (rtcp) {
      endpoint->handleRtcp(*this, slots_[i].data, length, source);
      continue;
    }
    endpoint->handleRtp(*this, slots_[i].data, length, source, arrivalTime(header), header);
  }
  // The slot after the last one filled too: a datagram that failed may have been written.
  const int used = count < 0 ? 1 : std::min(count + 1, kBatch);
  for (int i = 0; i < used; ++i) resetSlot(i);
  return drained;
}

void Worker::resetSlot(int index) {
  msghdr& header = messages_[index].msg_hdr;
  header.msg_namelen = sizeof(slots_[index].source.storage);
  header.msg_controllen = sizeof(slots_[index].control);
  header.msg_flags = 0;
}

int64_t Worker::arrivalTime(msghdr& header) {
  // Kernel receive time (SO_TIMESTAMPNS): jitter must not include our own batching delay.
  // It is the only control message asked for, so it comes first.
  const cmsghdr* cmsg = CMSG_FIRSTHDR(&header);
  if (cmsg != nullptr && cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_TIMESTAMPNS) {
    timespec stamp;
    std::memcpy(&stamp, CMSG_DATA(cmsg), sizeof(stamp));
    return timespecNs(stamp);
  }
  timespec wall;
  clock_gettime(CLOCK_REALTIME, &wall);
  return timespecNs(wall);
}

void Worker::drainSocket(uint64_t tag) {
  Endpoint* endpoint = reinterpret_cast<Endpoint*>(tag & ~uint64_t(1));
  const bool rtcp = (tag & 1) != 0;
  // A socket that keeps filling (a flood) gets its share now and the rest next iteration,
  // so one source cannot starve the others; its edge is not lost meanwhile.
  for (int round = 0; round < 4; ++round) {
    if (readSocket(endpoint, rtcp)) return;
  }
  backlog_.push_back(tag);
}

void Worker::prefetchEndpoint(uint64_t tag) {
  if (tag == kWakeTag || tag == kSkipTag) return;
  const char* lines = reinterpret_cast<const char*>(tag & ~uint64_t(1));
  // Lines 0-3: what handleRtp() reads and writes on the receiving side (endpoint.h).
  for (int line = 0; line < 4; ++line) __builtin_prefetch(lines + 64 * line, 1);
}

void Worker::prefetchPeer(uint64_t tag) {
  if (tag == kWakeTag || tag == kSkipTag) return;
  const Endpoint* endpoint = reinterpret_cast<const Endpoint*>(tag & ~uint64_t(1));
  const char* lines = reinterpret_cast<const char*>(endpoint->peer());
  if (lines == nullptr) return;
  // Lines 0-1: what forwarding to the peer touches (direction, codec, socket, destination).
  __builtin_prefetch(lines, 1);
  __builtin_prefetch(lines + 64, 0);
}

void Worker::runTimers() {
  if (nowNs_ >= nextHousekeepingNs_) {
    for (Endpoint* endpoint : watched_) endpoint->checkTimeouts(*this, nowNs_);
    nextHousekeepingNs_ = nowNs_ + kHousekeepingNs;
  }
  if (nowNs_ >= nextConnectionCheckNs_) {
    for (size_t i = 0; i < connected_.size();) {
      if (connected_[i]->checkConnection(nowNs_)) {
        ++i;
      } else {
        connected_[i] = connected_.back();
        connected_.pop_back();
      }
    }
    nextConnectionCheckNs_ = nowNs_ + connectionCheckNs_;
  }
  for (size_t i = 0; i < timed_.size();) {
    if (timed_[i]->runTimers(*this, nowNs_)) {
      ++i;
    } else {
      timed_[i] = timed_.back();
      timed_.pop_back();
    }
  }
}

int Worker::waitForEvents(epoll_event* ready, int capacity, const timespec& timeout) {
  if (havePreciseWait_) {
    const int count = epoll_pwait2(epollFd_, ready, capacity, &timeout, nullptr);
    if (count >= 0 || errno != ENOSYS) return count;
    havePreciseWait_ = false;  // kernel < 5.11 (or valgrind): millisecond waits from now on
  }
  const int64_t ns = timespecNs(timeout);
  const int ms = static_cast<int>(std::min<int64_t>((ns + 999'999) / 1'000'000, 60'000));
  return epoll_wait(epollFd_, ready, capacity, ms);
}

void Worker::run() {
  // Sleep precision matters for the poll tick and 20 ms media pacing: 1 µs timer slack.
  prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
  constexpr int kMaxEvents = 256;
  epoll_event ready[kMaxEvents];
  while (!stopping_.load(std::memory_order_relaxed)) {
    refreshNow();
    int64_t deadline = nextHousekeepingNs_;
    for (Endpoint* endpoint : timed_) deadline = std::min(deadline, endpoint->nextTimerNs());
    const timespec timeout = nsTimespec(backlog_.empty() ? std::max<int64_t>(0, deadline - nowNs_) : 0);
    const int64_t waitStartNs = nowNs_;
    int count = waitForEvents(ready, kMaxEvents, timeout);
    if (count < 0) count = 0;  // EINTR: just go round again
    refreshNow();
    const int64_t wakeNs = nowNs_;
    // Commands first: they were posted before these packets were read (a connect() must
    // take effect for packets sent after it), also when packets and not the eventfd woke us:
    // the wake-up for a command can come later (wakeIfDue()). A command that detaches an
    // endpoint blanks its entries in this batch (see detach()), so nothing below touches a
    // freed endpoint.
    batch_ = ready;
    batchSize_ = count;
    for (int i = 0; i < count; ++i) {
      if (ready[i].data.u64 == kWakeTag) {
        uint64_t counter;
        if (read(wakeFd_, &counter, sizeof(counter)) < 0) {
          // Already drained by an earlier wake-up.
        }
        break;
      }
    }
    if (hasCommands_.load(std::memory_order_acquire)) runCommands();
    if (!backlog_.empty()) {
      carried_.swap(backlog_);
      for (uint64_t tag : carried_) drainSocket(tag);
      carried_.clear();
    }
    for (int i = 0; i < count; ++i) {
      // The endpoints' lines were evicted since their last packet, 20 ms ago: ask for the next
      // ones while this socket's system calls run (two ahead, and the peer of the next one,
      // whose address the line fetched on the last round holds).
      if (i + 2 < count) prefetchEndpoint(ready[i + 2].data.u64);
      if (i + 1 < count) prefetchPeer(ready[i + 1].data.u64);
      const uint64_t tag = ready[i].data.u64;
      if (tag == kWakeTag || tag == kSkipTag) continue;
      drainSocket(tag);
    }
    batch_ = nullptr;
    batchSize_ = 0;
    runTimers();
    flushEvents();
    // Wake-ups, not syscalls, dominate at 50 pps per socket: when the wait returned within a
    // tick (traffic is dense), let packets gather for the rest of the tick before polling again.
    // A full readiness list means more is waiting: no pause then.
    if (pollTickNs_ > 0 && count > 0 && count < kMaxEvents && backlog_.empty() &&
        wakeNs - waitStartNs < pollTickNs_) {
      int64_t until = wakeNs + pollTickNs_;
      for (Endpoint* endpoint : timed_) until = std::min(until, endpoint->nextTimerNs());
      refreshNow();
      if (until > nowNs_) {
        const timespec pause = nsTimespec(until - nowNs_);
        nanosleep(&pause, nullptr);
      }
    }
  }
}

}  // namespace tandem
