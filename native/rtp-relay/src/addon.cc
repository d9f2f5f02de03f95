// Tandem native media engine: the Node-API surface. Every method returns a value or an error
// object { error: code, message }; nothing is thrown from C++ (NAPI_DISABLE_CPP_EXCEPTIONS),
// and @tandem/media turns error objects into MediaError.
#include <napi.h>

#include <cctype>
#include <memory>
#include <string>

#include "engine.h"
#include "loop-wake.h"

namespace tandem {
namespace {

Napi::Value errorValue(Napi::Env env, ErrorCode code, const std::string& message) {
  Napi::Object error = Napi::Object::New(env);
  error.Set("error", errorCodeName(code));
  error.Set("message", message);
  return error;
}

Napi::Value resultValue(Napi::Env env, const Result& result) {
  if (result.ok()) return env.Undefined();
  return errorValue(env, result.code, result.message);
}

bool isUint(const Napi::Value& value) { return value.IsNumber() && value.As<Napi::Number>().DoubleValue() >= 0; }
uint32_t asUint(const Napi::Value& value) { return value.As<Napi::Number>().Uint32Value(); }
int64_t asInt(const Napi::Value& value) { return value.As<Napi::Number>().Int64Value(); }

class EngineWrap;
void deliverEvents(Napi::Env env, Napi::Function callback, EngineWrap* context, void* data);
using EventFunction = Napi::TypedThreadSafeFunction<EngineWrap, void, deliverEvents>;

class EngineWrap : public Napi::ObjectWrap<EngineWrap> {
 public:
  static void Register(Napi::Env env, Napi::Object exports) {
    Napi::Function type = DefineClass(
        env, "NativeMediaEngine",
        {
            InstanceMethod<&EngineWrap::Allocate>("allocate"),
            InstanceMethod<&EngineWrap::ForEndpoint<&Engine::release>>("release"),
            InstanceMethod<&EngineWrap::SetRemote>("setRemote"),
            InstanceMethod<&EngineWrap::SetCodec>("setCodec"),
            InstanceMethod<&EngineWrap::Connect>("connect"),
            InstanceMethod<&EngineWrap::ForEndpoint<&Engine::disconnect>>("disconnect"),
            InstanceMethod<&EngineWrap::SetDirection>("setDirection"),
            InstanceMethod<&EngineWrap::SetDtmfMode>("setDtmfMode"),
            InstanceMethod<&EngineWrap::SetTimeouts>("setTimeouts"),
            InstanceMethod<&EngineWrap::Stats>("stats"),
            InstanceMethod<&EngineWrap::Play>("play"),
            InstanceMethod<&EngineWrap::PlayTones>("playTones"),
            InstanceMethod<&EngineWrap::ForEndpoint<&Engine::stopTones>>("stopTones"),
            InstanceMethod<&EngineWrap::Echo>("echo"),
            InstanceMethod<&EngineWrap::Record>("record"),
            InstanceMethod<&EngineWrap::ForEndpoint<&Engine::stopMedia>>("stopMedia"),
            InstanceMethod<&EngineWrap::SendDtmf>("sendDtmf"),
            InstanceMethod<&EngineWrap::InjectDtmf>("injectDtmf"),
            InstanceMethod<&EngineWrap::PortsInUse>("portsInUse"),
            InstanceMethod<&EngineWrap::Info>("info"),
            InstanceMethod<&EngineWrap::Ref>("ref"),
            InstanceMethod<&EngineWrap::Unref>("unref"),
            InstanceMethod<&EngineWrap::Close>("close"),
        });
    // Per-environment data, freed by Node with the environment (a static reference would be
    // deleted by exit handlers after the environment is gone).
    env.SetInstanceData<Napi::FunctionReference>(new Napi::FunctionReference(Napi::Persistent(type)));
    exports.Set("NativeMediaEngine", type);
  }

  EngineWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<EngineWrap>(info) {}

  ~EngineWrap() override { shutdown(); }

  /** Opens the engine; returns an error value instead of throwing. */
  Napi::Value open(Napi::Env env, const EngineOptions& options, Napi::Function onEvents) {
    engine_ = std::make_unique<Engine>(options);
    Result started = engine_->start();
    if (!started.ok()) {
      engine_.reset();
      return errorValue(env, started.code, started.message);
    }
    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
      engine_->close();
      engine_.reset();
      return errorValue(env, ErrorCode::Io, "no libuv event loop to wake the media workers from");
    }
    loopWake_ = std::make_unique<LoopWake>(loop, *engine_);
    events_ = EventFunction::New(env, onEvents, "tandem-media-events", 4, 1, this);
    events_.Unref(env);
    haveEvents_ = true;
    engine_->events().setNotifier([this] { return events_.NonBlockingCall() == napi_ok; });
    return env.Undefined();
  }

  Engine* engine() { return engine_.get(); }

 private:
  void shutdown() {
    loopWake_.reset();
    if (engine_) engine_->close();
    if (haveEvents_) {
      haveEvents_ = false;
      events_.Abort();
    }
  }

  bool usable(const Napi::CallbackInfo& info, Napi::Value& error) {
    if (!engine_ || engine_->closed()) {
      error = errorValue(info.Env(), ErrorCode::Closed, "the media engine is closed");
      return false;
    }
    return true;
  }

  bool argumentsAre(const Napi::CallbackInfo& info, size_t count, Napi::Value& error) {
    if (!usable(info, error)) return false;
    if (info.Length() < count || !isUint(info[0])) {
      error = errorValue(info.Env(), ErrorCode::BadArgument, "missing or invalid arguments");
      return false;
    }
    return true;
  }

  /** The calls that take only an endpoint id. */
  template <Result (Engine::*Method)(uint32_t)>
  Napi::Value ForEndpoint(const Napi::CallbackInfo& info) {
    Napi::Value error;
    if (!argumentsAre(info, 1, error)) return error;
    return resultValue(info.Env(), (engine_.get()->*Method)(asUint(info[0])));
  }

  Napi::Value Allocate(const Napi::CallbackInfo& info) {
    Napi::Value error;
    if (!usable(info, error)) return error;
    if (info.Length() < 1 || !info[0].IsString()) {
      return errorValue(info.Env(), ErrorCode::BadArgument, "localAddress must be a string");
    }
    // Optional second argument: the id of an endpoint whose worker the new one should share.
    const uint32_t nearId = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : 0;
    uint32_t id = 0;
    uint16_t port = 0;
    Result result = engine_->allocate(info[0].As<Napi::String>().Utf8Value(), nearId, id, port);
    if (!result.ok()) return resultValue(info.Env(), result);
    Napi::Object allocated = Napi::Object::New(info.Env());
    allocated.Set("id", id);
    allocated.Set("rtpPort", port);
    allocated.Set("rtcpPort", port + 1);
    return allocated;
  }

  Napi::Value SetRemote(const Napi::CallbackInfo& info) {
    Napi::Value error;
    if (!argumentsAre(info, 5, error)) return error;
    if (!info[1].IsString() || !isUint(info[2]) || !info[3].IsNumber() || !info[4].IsBoolean()) {
      return errorValue(info.Env(), ErrorCode::BadArgument, "setRemote(id, host, rtpPort, rtcpPort, symmetric)");
    }
    const uint32_t port = asUint(info[2]);
    const int64_t rtcp = asInt(info[3]);
    if (port == 0 || port > 65535 || rtcp > 65535) {
      return errorValue(info.Env(), ErrorCode::BadArgument, "port out of range");
    }
    return resultValue(info.Env(), engine_->setRemote(asUint(info[0]), info[1].As<Napi::String>().Utf8Value(),
                                                      static_cast<uint16_t>(port), static_cast<int>(rtcp),
                                                      info[4].As<Napi::Boolean>().Value()));
  }

  Napi::Value SetCodec(const Napi::CallbackInfo& info) {
    Napi::Value error;
    if (!argumentsAre(info, 6, error)) return error;
    if (!isUint(info[1]) || !info[2].IsString() || !isUint(info[3]) || !isUint(info[4]) || !info[5].IsNumber()) {
      return errorValue(info.Env(), ErrorCode::BadArgument, "setCodec(id, pt, name, clockRate, ptimeMs, tePt)");
    }
    CodecSettings codec;
    const uint32_t pt = asUint(info[1]);
    const std::string name = info[2].As<Napi::String>().Utf8Value();
    codec.clockRate = asUint(info[3]);
    codec.ptimeMs = asUint(info[4]);
    const int64_t te = asInt(info[5]);
    if (pt > 127 || te > 127 || codec.clockRate == 0 || codec.ptimeMs == 0 || codec.ptimeMs > 200) {
      return errorValue(info.Env(), ErrorCode::BadArgument, "payload type, clock rate or ptime out of range");
    }
    codec.payloadType = static_cast<uint8_t>(pt);
    codec.telephoneEventPt = te < 0 ? -1 : static_cast<int>(te);
    codec.codec = name == "PCMU" ? AudioCodec::Pcmu : name == "PCMA" ? AudioCodec::Pcma : AudioCodec::Other;
    return resultValue(info.Env(), engine_->setCodec(asUint(info[0]), codec));
  }

  Napi::Value Connect(const Napi::CallbackInfo& info) {
    Napi::Value error;
    if (!argumentsAre(info, 2, error)) return error;
    if (!isUint(info[1])) return errorValue(info.Env(), ErrorCode::BadArgument, "connect(id, otherId)");
    return resultValue(info.Env(), engine_->connect(asUint(info[0]), asUint(info[1])));
  }

  Napi::Value SetDirection(const Napi::CallbackInfo& info) {
    Napi::Value error;
    if (!argumentsAre(info, 2, error)) return error;
    if (!isUint(info[1]) || asUint(info[1]) > 3) return errorValue(info.Env(), ErrorCode::BadArgument, "direction 0..3");
    return resultValue(info.Env(), engine_->setDirection(asUint(info[0]), static_cast<Direction>(asUint(info[1]))));
  }

  Napi::Value SetDtmfMode(const Napi::CallbackInfo& info) {
    Napi::Value error;
    if (!argumentsAre(info, 2, error)) return error;
    if (!isUint(info[1]) || asUint(info[1]) > 4) return errorValue(info.Env(), ErrorCode::BadArgument, "dtmf mode 0..4");
    return resultValue(info.Env(), engine_->setDtmfMode(asUint(info[0]), static_cast<DtmfMode>(asUint(info[1]))));
  }

  Napi::Value SetTimeouts(const Napi::CallbackInfo& info) {
    Napi::Value error;
    if (!argumentsAre(info, 3, error)) return error;
    if (!info[1].IsNumber() || !info[2].IsNumber() || (info.Length() > 3 && !info[3].IsNumber())) {
      return errorValue(info.Env(), ErrorCode::BadArgument, "setTimeouts(id, rtpMs, holdMs, keepaliveMs)");
    }
    const int64_t keepalive = info.Length() > 3 ? asInt(info[3]) : 0;
    return resultValue(info.Env(), engine_->setTimeouts(asUint(info[0]), asInt(info[1]), asInt(info[2]), keepalive));
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Value error;
    if (!argumentsAre(info, 1, error)) return error;
    EndpointStats stats;
    Result result = engine_->stats(asUint(info[0]), stats);
    if (!result.ok()) return resultValue(info.Env(), result);
    Napi::Env env = info.Env();
    Napi::Object out = Napi::Object::New(env);
    out.Set("rxPackets", static_cast<double>(stats.rxPackets));
    out.Set("rxBytes", static_cast<double>(stats.rxBytes));
    out.Set("txPackets", static_cast<double>(stats.txPackets));
    out.Set("txBytes", static_cast<double>(stats.txBytes));
    out.Set("lost", static_cast<double>(stats.lost));
    out.Set("jitterMs", stats.jitterMs);
    out.Set("rejectedPackets", static_cast<double>(stats.rejected));
    out.Set("malformedPackets", static_cast<double>(stats.malformed));
    out.Set("sendErrors", static_cast<double>(stats.sendErrors));
    out.Set("rtcpRxPackets", static_cast<double>(stats.rtcpRxPackets));
    out.Set("rtcpTxPackets", static_cast<double>(stats.rtcpTxPackets));
    out.Set("rtcpFractionLost256", static_cast<double>(stats.rtcpFractionLost256));
    out.Set("rtcpRttMicros", static_cast<double>(stats.rtcpRttMicros));
    if (stats.hasRemote) {
      out.Set("remoteAddress", stats.remoteHost);
      out.Set("remotePort", stats.remotePort);
    }
    return out;
  }

  Napi::Value Play(const Napi::CallbackInfo& info) {
    Napi::Value error;
    if (!argumentsAre(info, 4, error)) return error;
    if (!isUint(info[1]) || !info[2].IsArray() || !info[3].IsString()) {
      return errorValue(info.Env(), ErrorCode::BadArgument, "play(id, operation, files, interruptDigits[, loop])");
    }
    const bool loop = info.Length() > 4 && info[4].IsBoolean() && info[4].As<Napi::Boolean>().Value();
    Napi::Array list = info[2].As<Napi::Array>();
    std::vector<std::string> files;
    for (uint32_t i = 0; i < list.Length(); ++i) {
      Napi::Value item = list.Get(i);
      if (!item.IsString()) return errorValue(info.Env(), ErrorCode::BadArgument, "file names must be strings");
      files.push_back(item.As<Napi::String>().Utf8Value());
    }
    return resultValue(info.Env(), engine_->play(asUint(info[0]), asUint(info[1]), std::move(files),
                                                 info[3].As<Napi::String>().Utf8Value(), loop));
  }

  Napi::Value PlayTones(const Napi::CallbackInfo& info) {
    Napi::Value error;
    if (!argumentsAre(info, 2, error)) return error;
    if (!info[1].IsString()) return errorValue(info.Env(), ErrorCode::BadArgument, "playTones(id, tones)");
    return resultValue(info.Env(), engine_->playTones(asUint(info[0]), info[1].As<Napi::String>().Utf8Value()));
  }

  Napi::Value Echo(const Napi::CallbackInfo& info) {
    Napi::Value error;
    if (!argumentsAre(info, 2, error)) return error;
    if (!info[1].IsBoolean()) return errorValue(info.Env(), ErrorCode::BadArgument, "echo(id, on)");
    return resultValue(info.Env(), engine_->setEcho(asUint(info[0]), info[1].As<Napi::Boolean>().Value()));
  }

  Napi::Value Record(const Napi::CallbackInfo& info) {
    Napi::Value error;
    if (!argumentsAre(info, 7, error)) return error;
    if (!isUint(info[1]) || !info[2].IsString() || !isUint(info[3]) || !isUint(info[4]) || !info[5].IsString() ||
        !info[6].IsBoolean()) {
      return errorValue(info.Env(), ErrorCode::BadArgument,
                        "record(id, operation, path, silenceMs, maxDurationMs, terminators, append)");
    }
    RecordOptions options;
    options.path = info[2].As<Napi::String>().Utf8Value();
    options.silenceMs = asUint(info[3]);
    options.maxDurationMs = asUint(info[4]);
    options.terminators = info[5].As<Napi::String>().Utf8Value();
    options.append = info[6].As<Napi::Boolean>().Value();
    return resultValue(info.Env(), engine_->record(asUint(info[0]), asUint(info[1]), options));
  }

  Napi::Value SendDtmf(const Napi::CallbackInfo& info) {
    Napi::Value error;
    if (!argumentsAre(info, 4, error)) return error;
    if (!isUint(info[1]) || !info[2].IsString() || !isUint(info[3])) {
      return errorValue(info.Env(), ErrorCode::BadArgument, "sendDtmf(id, operation, digits, durationMs)");
    }
    return resultValue(info.Env(), engine_->sendDtmf(asUint(info[0]), asUint(info[1]),
                                                     info[2].As<Napi::String>().Utf8Value(), asUint(info[3])));
  }

  Napi::Value InjectDtmf(const Napi::CallbackInfo& info) {
    Napi::Value error;
    if (!argumentsAre(info, 3, error)) return error;
    if (!info[1].IsString() || !isUint(info[2])) {
      return errorValue(info.Env(), ErrorCode::BadArgument, "injectDtmf(id, digit, durationMs)");
    }
    const std::string digit = info[1].As<Napi::String>().Utf8Value();
    if (digit.size() != 1) return errorValue(info.Env(), ErrorCode::BadArgument, "one digit expected");
    return resultValue(info.Env(), engine_->injectDtmf(asUint(info[0]), static_cast<char>(std::toupper(digit[0])),
                                                       asUint(info[2])));
  }

  Napi::Value PortsInUse(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), engine_ ? static_cast<double>(engine_->portsInUse()) : 0);
  }

  Napi::Value Info(const Napi::CallbackInfo& info) {
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("droppedEvents", engine_ ? static_cast<double>(engine_->events().dropped()) : 0);
    out.Set("threads", engine_ ? engine_->options().threads : 0);
    out.Set("portCapacity", engine_ ? static_cast<double>(engine_->portCapacity()) : 0);
    out.Set("endpoints", engine_ ? static_cast<double>(engine_->endpointCount()) : 0);
    return out;
  }

  Napi::Value Ref(const Napi::CallbackInfo& info) {
    if (haveEvents_) events_.Ref(info.Env());
    return info.Env().Undefined();
  }

  Napi::Value Unref(const Napi::CallbackInfo& info) {
    if (haveEvents_) events_.Unref(info.Env());
    return info.Env().Undefined();
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    loopWake_.reset();
    if (engine_) {
      engine_->close();
      // Deliver what the workers emitted while stopping (completion of pending operations).
      deliverEvents(info.Env(), Napi::Function(), this, nullptr);
    }
    if (haveEvents_) {
      haveEvents_ = false;
      events_.Release();
    }
    return info.Env().Undefined();
  }

  friend void deliverEvents(Napi::Env env, Napi::Function callback, EngineWrap* context, void* data);

  std::unique_ptr<Engine> engine_;
  // Declared after engine_: destroyed first, it never calls into a freed engine.
  std::unique_ptr<LoopWake> loopWake_;
  EventFunction events_;
  bool haveEvents_ = false;
  Napi::FunctionReference callbackOnClose_;

 public:
  void keepCallback(Napi::Function callback) { callbackOnClose_ = Napi::Persistent(callback); }
};

void deliverEvents(Napi::Env env, Napi::Function callback, EngineWrap* context, void* data) {
  (void)data;
  if (env == nullptr || context == nullptr || !context->engine_) return;
  const std::vector<MediaEvent>& events = context->engine_->events().drain();
  if (events.empty()) return;
  Napi::Array list = Napi::Array::New(env, events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    const MediaEvent& event = events[i];
    Napi::Object item = Napi::Object::New(env);
    item.Set("id", event.endpointId);
    item.Set("kind", static_cast<uint32_t>(event.kind));
    item.Set("operation", event.operation);
    item.Set("status", event.status);
    item.Set("value", event.value);
    item.Set("digit", event.digit ? std::string(1, event.digit) : std::string());
    list.Set(static_cast<uint32_t>(i), item);
  }
  Napi::Function target = callback;
  if (target.IsEmpty() && !context->callbackOnClose_.IsEmpty()) target = context->callbackOnClose_.Value();
  if (!target.IsEmpty()) target.Call({list});
}

/** open(options, onEvents) -> NativeMediaEngine | { error, message } */
Napi::Value Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
    return errorValue(env, ErrorCode::BadArgument, "open(options, onEvents)");
  }
  Napi::Object options = info[0].As<Napi::Object>();
  auto number = [&](const char* key, double fallback) {
    Napi::Value value = options.Get(key);
    return value.IsNumber() ? value.As<Napi::Number>().DoubleValue() : fallback;
  };
  EngineOptions engineOptions;
  const double start = number("portStart", -1);
  const double end = number("portEnd", -1);
  const double threads = number("threads", 1);
  const double perThread = number("endpointsPerThread", 2048);
  if (start < 1 || end < start || end > 65535 || threads < 1 || threads > 64 || perThread < 1) {
    return errorValue(env, ErrorCode::BadArgument,
                      "portStart/portEnd must be 1..65535 with portStart <= portEnd; threads 1..64; endpointsPerThread >= 1");
  }
  engineOptions.endpointsPerThread = static_cast<size_t>(perThread);
  engineOptions.portStart = static_cast<uint16_t>(start);
  engineOptions.portEnd = static_cast<uint16_t>(end);
  engineOptions.threads = static_cast<int>(threads);
  engineOptions.pollTickNs = static_cast<int64_t>(number("pollTickUs", 200) * 1000);
  engineOptions.relatchSilenceNs = static_cast<int64_t>(number("relatchSilenceMs", 2000) * 1e6);
  Napi::Value sounds = options.Get("soundsDir");
  if (sounds.IsString()) engineOptions.soundsDir = sounds.As<Napi::String>().Utf8Value();

  Napi::Object instance = env.GetInstanceData<Napi::FunctionReference>()->New({});
  EngineWrap* wrap = EngineWrap::Unwrap(instance);
  Napi::Value opened = wrap->open(env, engineOptions, info[1].As<Napi::Function>());
  if (!opened.IsUndefined()) return opened;
  wrap->keepCallback(info[1].As<Napi::Function>());
  return instance;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  EngineWrap::Register(env, exports);
  exports.Set("open", Napi::Function::New<Open>(env, "open"));
  exports.Set("abiVersion", Napi::Number::New(env, 1));
  return exports;
}

}  // namespace
}  // namespace tandem

static Napi::Object InitTandemRtp(Napi::Env env, Napi::Object exports) { return tandem::Init(env, exports); }

NODE_API_MODULE(tandem_rtp, InitTandemRtp)
