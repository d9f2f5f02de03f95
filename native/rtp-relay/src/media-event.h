// Events that leave the I/O threads for JavaScript, and the bounded queue that batches them.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace tandem {

enum class EventKind : uint8_t {
  Dtmf = 1,        // digit received: digit, value = duration ms
  Timeout = 2,     // status 0 = rtp, 1 = hold
  PlayDone = 3,    // operation, status (PlayStatus), digit when interrupted
  RecordDone = 4,  // operation, status (RecordStatus), value = duration ms
  DtmfSent = 5,    // operation
};

enum class PlayStatus : int32_t { Done = 0, Interrupted = 1, Failed = 2, Stopped = 3 };
enum class RecordStatus : int32_t { Dtmf = 0, Silence = 1, Timeout = 2, Stopped = 3, Error = 4 };

/** One event, a plain value so the queue never allocates per event. */
struct MediaEvent {
  uint32_t endpointId = 0;
  EventKind kind = EventKind::Dtmf;
  char digit = 0;
  uint32_t operation = 0;
  int32_t status = 0;
  int32_t value = 0;
};

/**
 * The engine-wide queue between the I/O threads and the JS thread. Workers append a batch at
 * the end of a loop iteration; at most one JS call is outstanding at a time, and events past
 * the capacity are dropped and counted rather than blocking an I/O thread.
 */
class EventQueue {
 public:
  explicit EventQueue(size_t capacity) : capacity_(capacity) {
    pending_.reserve(capacity);
    draining_.reserve(capacity);
  }

  /** `notify` asks the JS thread to drain (a non-blocking TSFN call); false = not queued. */
  void setNotifier(std::function<bool()> notify) { notify_ = std::move(notify); }

  void push(const MediaEvent* events, size_t count) {
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (size_t i = 0; i < count; ++i) {
        if (pending_.size() >= capacity_) {
          dropped_.fetch_add(count - i, std::memory_order_relaxed);
          break;
        }
        pending_.push_back(events[i]);
      }
      if (!scheduled_ && !pending_.empty()) {
        scheduled_ = true;
        wake = true;
      }
    }
    if (wake && !(notify_ && notify_())) {
      std::lock_guard<std::mutex> lock(mutex_);
      scheduled_ = false;
      notifyFailures_.fetch_add(1, std::memory_order_relaxed);
    }
  }

  /** Called on the JS thread: takes everything queued so far. */
  const std::vector<MediaEvent>& drain() {
    std::lock_guard<std::mutex> lock(mutex_);
    draining_.clear();
    draining_.swap(pending_);
    scheduled_ = false;
    return draining_;
  }

  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  size_t capacity_;
  std::mutex mutex_;
  std::vector<MediaEvent> pending_;
  std::vector<MediaEvent> draining_;
  bool scheduled_ = false;
  std::function<bool()> notify_;
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> notifyFailures_{0};
};

}  // namespace tandem
