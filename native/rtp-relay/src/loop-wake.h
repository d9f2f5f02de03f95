// Wakes the media workers once per turn of the Node event loop. Commands posted by the JS
// thread while it handles a turn's I/O (a call's allocate, setCodec, setRemote, connect...)
// then share one eventfd write per worker instead of paying one each.
#pragma once
#include <uv.h>

namespace tandem {

class Engine;

class LoopWake {
 public:
  /** Starts unreferenced prepare and check handles on `loop` (they never keep it alive). */
  LoopWake(uv_loop_t* loop, Engine& engine);
  /** Stops them; the handles are freed by libuv's close callback. */
  ~LoopWake();
  LoopWake(const LoopWake&) = delete;
  LoopWake& operator=(const LoopWake&) = delete;

 private:
  // Check runs right after the I/O callbacks of a turn; prepare runs before the loop blocks,
  // after timers and setImmediate callbacks: JS never runs between its posts and a wake.
  uv_prepare_t* prepare_;
  uv_check_t* check_;
};

}  // namespace tandem
