#include "loop-wake.h"

#include "engine.h"

namespace tandem {

namespace {
template <typename Handle>
void wakeFrom(Handle* handle) {
  static_cast<Engine*>(handle->data)->wakeWorkers();
}

void freeHandle(uv_handle_t* handle) {
  if (handle->type == UV_PREPARE) delete reinterpret_cast<uv_prepare_t*>(handle);
  else delete reinterpret_cast<uv_check_t*>(handle);
}
}  // namespace

LoopWake::LoopWake(uv_loop_t* loop, Engine& engine) : prepare_(new uv_prepare_t), check_(new uv_check_t) {
  uv_prepare_init(loop, prepare_);
  uv_check_init(loop, check_);
  prepare_->data = &engine;
  check_->data = &engine;
  uv_prepare_start(prepare_, wakeFrom<uv_prepare_t>);
  uv_check_start(check_, wakeFrom<uv_check_t>);
  uv_unref(reinterpret_cast<uv_handle_t*>(prepare_));
  uv_unref(reinterpret_cast<uv_handle_t*>(check_));
}

LoopWake::~LoopWake() {
  uv_prepare_stop(prepare_);
  uv_check_stop(check_);
  uv_close(reinterpret_cast<uv_handle_t*>(prepare_), freeHandle);
  uv_close(reinterpret_cast<uv_handle_t*>(check_), freeHandle);
}

}  // namespace tandem
