#include "media-session.h"

#include <algorithm>
#include <cstring>

#include "endpoint.h"
#include "g711.h"
#include "worker.h"

namespace tandem {

namespace {
constexpr int64_t kMs = 1'000'000;
constexpr uint32_t kPlayoutFrame = 160;          // the jitter buffer plays out 20 ms frames
constexpr uint32_t kDtmfGapMs = 100;             // main/app.c dtmf_stream(): between = 100 by default
constexpr uint8_t kDtmfVolume = 10;              // -10 dBm0, as res_rtp_asterisk sends
constexpr int kSilenceThreshold = 256;           // main/dsp.c DEFAULT_SILENCE_THRESHOLD
constexpr uint32_t kDtmfTrimMs = 250;            // app_record.c: strip the last 1/4 s after DTMF

uint8_t silenceByte(AudioCodec codec) { return codec == AudioCodec::Pcma ? 0xd5 : 0xff; }
bool isG711(AudioCodec codec) { return codec == AudioCodec::Pcmu || codec == AudioCodec::Pcma; }
}  // namespace

MediaSession::MediaSession(Endpoint& endpoint, uint32_t ssrc)
    : endpoint_(endpoint), ssrc_(ssrc), sequence_(static_cast<uint16_t>(ssrc >> 7)),
      timestamp_(0), timestampBase_(ssrc * 2654435761u) {}

MediaSession::~MediaSession() = default;

uint32_t MediaSession::samplesPerFrame() const {
  const uint32_t samples = endpoint_.codec().samplesPerPacket();
  return samples == 0 ? 160 : std::min<uint32_t>(samples, kMaxPacketSize - kRtpHeaderSize);
}

int64_t MediaSession::frameNs() const { return static_cast<int64_t>(endpoint_.codec().ptimeMs) * kMs; }

bool MediaSession::overridesRelay() const { return output_ != Output::None || (dtmf_.active && dtmf_.inTone); }

bool MediaSession::needsTimers() const {
  return output_ != Output::None || dtmf_.active || jitter_ != nullptr || recorder_ != nullptr;
}

int64_t MediaSession::nextTimerNs() const {
  int64_t next = INT64_MAX;
  if (output_ != Output::None || dtmf_.active) next = outputRunning_ ? nextOutputNs_ : 0;
  if (jitter_) next = std::min(next, nextPlayoutNs_);
  if (recorder_ && recordDeadlineNs_ != 0) next = std::min(next, recordDeadlineNs_);
  return next;
}

void MediaSession::startTalkspurt(int64_t nowNs) {
  if (epochNs_ == 0) epochNs_ = nowNs;
  // The timestamp keeps pace with the wall clock across pauses (RFC 3550 §5.1).
  timestamp_ = timestampBase_ + static_cast<uint32_t>((nowNs - epochNs_) / 1000 * endpoint_.codec().clockRate / 1'000'000);
  nextOutputNs_ = nowNs;
  outputRunning_ = true;
  markerNext_ = true;
}

bool MediaSession::runTimers(Worker& worker, int64_t nowNs) {
  if (output_ != Output::None || dtmf_.active) {
    if (!outputRunning_) startTalkspurt(nowNs);
    for (int frames = 0; (output_ != Output::None || dtmf_.active) && nowNs >= nextOutputNs_ && frames < 5; ++frames) {
      produceFrame(worker);
      nextOutputNs_ += frameNs();
    }
    // After a stall, resume pacing from now rather than bursting to catch up.
    if (nowNs - nextOutputNs_ > 100 * kMs) nextOutputNs_ = nowNs + frameNs();
    if (output_ == Output::None && !dtmf_.active) outputRunning_ = false;
  }
  if (jitter_) {
    if (nextPlayoutNs_ == 0) nextPlayoutNs_ = nowNs + 20 * kMs;
    for (int frames = 0; jitter_ && nowNs >= nextPlayoutNs_ && frames < 5; ++frames) {
      int16_t frame[kPlayoutFrame];
      nextPlayoutNs_ += 20 * kMs;
      if (jitter_->get(frame)) consumeFrame(worker, frame, kPlayoutFrame);
    }
    if (jitter_ && nowNs - nextPlayoutNs_ > 100 * kMs) nextPlayoutNs_ = nowNs + 20 * kMs;
  }
  if (recorder_ && recordDeadlineNs_ != 0 && nowNs >= recordDeadlineNs_) finishRecord(worker, RecordStatus::Timeout);
  return needsTimers();
}

void MediaSession::sendPayload(Worker& worker, uint8_t payloadType, bool marker, uint32_t timestamp,
                               const uint8_t* payload, size_t length) {
  const Direction direction = endpoint_.direction();
  if (direction == Direction::RecvOnly || direction == Direction::Inactive) return;
  uint8_t packet[kMaxPacketSize];
  if (length > sizeof(packet) - kRtpHeaderSize) return;
  writeRtpHeader(packet, payloadType, marker, sequence_++, timestamp, ssrc_);
  std::memcpy(packet + kRtpHeaderSize, payload, length);
  endpoint_.sendRtp(worker, packet, kRtpHeaderSize + length);
}

void MediaSession::produceFrame(Worker& worker) {
  const uint32_t samples = samplesPerFrame();
  const AudioCodec codec = endpoint_.codec().codec;
  const uint8_t payloadType = endpoint_.codec().payloadType;
  if (!(dtmf_.active && produceDtmfFrame(worker))) {
    uint8_t payload[kMaxPacketSize];
    if (output_ == Output::Playback) {
      size_t got = 0;
      while (got < samples && file_) {
        const size_t read = file_->read(payload + got, samples - got, codec);
        got += read;
        playedThisRound_ += read;
        if (got < samples && !openNextFile(worker)) break;
      }
      if (got > 0) {
        std::memset(payload + got, silenceByte(codec), samples - got);
        sendPayload(worker, payloadType, markerNext_, timestamp_, payload, samples);
        markerNext_ = false;
      }
      if (!file_ && playPending_) finishPlay(worker, PlayStatus::Done);
    } else if (output_ == Output::Tones) {
      int16_t linear[kMaxPacketSize];
      if (tones_->generate(linear, samples)) {
        encodeG711(linear, payload, samples, codec);
        sendPayload(worker, payloadType, markerNext_, timestamp_, payload, samples);
        markerNext_ = false;
      } else {
        output_ = Output::None;
        tones_.reset();
      }
    }
  }
  timestamp_ += samples;
}

// One frame slot of DTMF sending; false when the slot is free for other media (between digits).
bool MediaSession::produceDtmfFrame(Worker& worker) {
  const uint32_t samples = samplesPerFrame();
  const CodecSettings& codec = endpoint_.codec();
  if (!dtmf_.inTone) {
    dtmf_.elapsed += samples;
    if (dtmf_.elapsed >= kDtmfGapMs * codec.clockRate / 1000) {
      dtmf_.elapsed = 0;
      if (++dtmf_.index >= dtmf_.digits.size()) {
        finishDtmfSend(worker);
      } else {
        dtmf_.inTone = true;
      }
    }
    if (dtmf_.inbandTone && output_ == Output::None) {
      uint8_t silence[kMaxPacketSize];
      std::memset(silence, silenceByte(codec.codec), samples);
      sendPayload(worker, codec.payloadType, false, timestamp_, silence, samples);
      return true;
    }
    return false;
  }
  const char digit = dtmf_.digits[dtmf_.index];
  const bool first = dtmf_.elapsed == 0;
  dtmf_.elapsed += samples;
  const bool end = dtmf_.elapsed >= dtmf_.durationSamples;
  if (!dtmf_.inbandTone) {
    // RFC 4733 §2.5.1: one timestamp per event, the duration growing, the end packet thrice.
    if (first) dtmf_.eventTimestamp = timestamp_;
    const uint32_t duration = std::min<uint32_t>(dtmf_.elapsed, 0xffff);
    uint8_t event[4] = {static_cast<uint8_t>(dtmfEventForDigit(digit)),
                        static_cast<uint8_t>((end ? 0x80 : 0) | kDtmfVolume), static_cast<uint8_t>(duration >> 8),
                        static_cast<uint8_t>(duration)};
    const uint8_t pt = static_cast<uint8_t>(codec.telephoneEventPt);
    for (int copy = 0; copy < (end ? 3 : 1); ++copy) sendPayload(worker, pt, first, dtmf_.eventTimestamp, event, 4);
  } else {
    int16_t linear[kMaxPacketSize];
    uint8_t payload[kMaxPacketSize];
    dtmf_.inbandTone->generate(linear, samples);
    encodeG711(linear, payload, samples, codec.codec);
    sendPayload(worker, codec.payloadType, first, timestamp_, payload, samples);
  }
  if (end) {
    dtmf_.inTone = false;
    dtmf_.elapsed = 0;
    if (dtmf_.inbandTone) {
      ToneList list;
      std::string ignored;
      unsigned row = 0, column = 0;
      if (dtmf_.index + 1 < dtmf_.digits.size() && dtmfFrequencies(dtmf_.digits[dtmf_.index + 1], row, column) &&
          parseToneList(std::to_string(row) + "+" + std::to_string(column), list, ignored)) {
        dtmf_.inbandTone = std::make_unique<ToneGenerator>(std::move(list));
      }
    }
  }
  return true;
}

void MediaSession::onRtp(Worker& worker, const RtpView& packet, const uint8_t* data, size_t length, int64_t arrivalNs,
                         bool isEvent) {
  const CodecSettings& codec = endpoint_.codec();
  if (isEvent) {
    char digit;
    uint32_t durationMs;
    if (endpoint_.usesRfc2833() && rfc4733_.onPacket(packet, codec.clockRate, digit, durationMs)) {
      onDigit(worker, digit, durationMs);
    }
  } else if (jitter_ && isG711(codec.codec) && packet.payloadType == codec.payloadType &&
             packet.payloadLength <= 480) {
    int16_t linear[480];
    decodeG711(packet.payload, linear, packet.payloadLength, codec.codec);
    jitter_->put(packet.ssrc, packet.timestamp, linear, packet.payloadLength, arrivalNs);
  }
  if (echo_ && output_ == Output::None && !dtmf_.active && length <= kMaxPacketSize) {
    // app_echo: the party hears itself, re-originated under Tandem's SSRC so it is not taken
    // for an SSRC collision (RFC 3550 §8.2).
    uint8_t copy[kMaxPacketSize];
    std::memcpy(copy, data, length);
    writeU16(copy + 2, sequence_++);
    writeU32(copy + 8, ssrc_);
    const Direction direction = endpoint_.direction();
    if (direction != Direction::RecvOnly && direction != Direction::Inactive) endpoint_.sendRtp(worker, copy, length);
  }
}

void MediaSession::consumeFrame(Worker& worker, const int16_t* samples, size_t count) {
  char digit;
  uint32_t durationMs;
  if (inband_ && inband_->feed(samples, count, digit, durationMs)) onDigit(worker, digit, durationMs);
  if (!recorder_) return;
  if (!recorder_->write(samples, count)) {
    finishRecord(worker, RecordStatus::Error);
    return;
  }
  // ast_dsp_silence(): the average magnitude under the threshold is silence.
  long total = 0;
  for (size_t i = 0; i < count; ++i) total += samples[i] < 0 ? -samples[i] : samples[i];
  silentSamples_ = total / static_cast<long>(count) < kSilenceThreshold ? silentSamples_ + count : 0;
  if (recordOptions_.silenceMs != 0 && silentSamples_ >= recordOptions_.silenceMs * 8u) {
    finishRecord(worker, RecordStatus::Silence);
  }
}

void MediaSession::onDigit(Worker& worker, char digit, uint32_t durationMs) {
  if (playPending_ && interruptDigits_.find(digit) != std::string::npos) {
    finishPlay(worker, PlayStatus::Interrupted, digit);
  }
  if (recorder_ && recordOptions_.terminators.find(digit) != std::string::npos) {
    finishRecord(worker, RecordStatus::Dtmf);
  }
  MediaEvent event;
  event.endpointId = endpoint_.id;
  event.kind = EventKind::Dtmf;
  event.digit = digit;
  event.value = static_cast<int32_t>(durationMs);
  worker.emit(event);
}

void MediaSession::digitFromSignalling(Worker& worker, char digit, uint32_t durationMs) {
  onDigit(worker, digit, durationMs);
}

bool MediaSession::openNextFile(Worker& worker) {
  file_.reset();
  if (++playIndex_ >= playlist_.size()) {
    // A looping playlist starts over, in the same frame (no gap for relayed audio to slip
    // into), unless a whole round gave no audio (empty files would spin here forever).
    if (!loopPlaylist_ || playedThisRound_ == 0) return false;
    playIndex_ = 0;
    playedThisRound_ = 0;
  }
  std::string error;
  file_ = SoundFile::open(playlist_[playIndex_], soundsDir_, endpoint_.codec().codec, error);
  if (file_) return true;
  finishPlay(worker, PlayStatus::Failed);
  return false;
}

void MediaSession::play(Worker& worker, uint32_t operation, std::vector<std::string> files,
                        std::string interruptDigits, const std::string& soundsDir, bool loop) {
  if (playPending_) finishPlay(worker, PlayStatus::Stopped);
  tones_.reset();
  output_ = Output::None;
  playOperation_ = operation;
  playPending_ = true;
  interruptDigits_ = std::move(interruptDigits);
  playlist_ = std::move(files);
  soundsDir_ = soundsDir;
  playIndex_ = 0;
  loopPlaylist_ = loop;
  playedThisRound_ = 0;
  if (!isG711(endpoint_.codec().codec) || playlist_.empty()) {
    finishPlay(worker, PlayStatus::Failed);
    return;
  }
  std::string error;
  file_ = SoundFile::open(playlist_[0], soundsDir_, endpoint_.codec().codec, error);
  if (!file_) {
    finishPlay(worker, PlayStatus::Failed);
    return;
  }
  output_ = Output::Playback;
  markerNext_ = true;
}

void MediaSession::finishPlay(Worker& worker, PlayStatus status, char digit) {
  if (!playPending_) return;
  playPending_ = false;
  file_.reset();
  playlist_.clear();
  if (output_ == Output::Playback) output_ = Output::None;
  MediaEvent event;
  event.endpointId = endpoint_.id;
  event.kind = EventKind::PlayDone;
  event.operation = playOperation_;
  event.status = static_cast<int32_t>(status);
  event.digit = digit;
  worker.emit(event);
}

void MediaSession::playTones(Worker& worker, ToneList tones) {
  if (playPending_) finishPlay(worker, PlayStatus::Stopped);
  if (!isG711(endpoint_.codec().codec)) return;
  tones_ = std::make_unique<ToneGenerator>(std::move(tones));
  output_ = Output::Tones;
  markerNext_ = true;
}

void MediaSession::stopTones(Worker& worker) {
  (void)worker;
  if (output_ == Output::Tones) output_ = Output::None;
  tones_.reset();
}

void MediaSession::sendDtmf(Worker& worker, uint32_t operation, const std::string& digits, uint32_t durationMs) {
  if (dtmf_.active) finishDtmfSend(worker);
  const CodecSettings& codec = endpoint_.codec();
  const bool rfc4733 = endpoint_.usesRfc2833();
  unsigned row = 0, column = 0;
  ToneList first;
  std::string ignored;
  const bool inbandPossible = !digits.empty() && isG711(codec.codec) && dtmfFrequencies(digits[0], row, column) &&
                              parseToneList(std::to_string(row) + "+" + std::to_string(column), first, ignored);
  dtmf_ = DtmfSender{};
  dtmf_.operation = operation;
  // chan_sip with dtmfmode=rfc2833 but no telephone-event negotiated sends nothing
  // (res_rtp_asterisk: "Don't know how to represent 'DTMF'").
  if ((rfc4733 && codec.telephoneEventPt < 0) || (!rfc4733 && !inbandPossible) || digits.empty()) {
    dtmf_.active = true;
    finishDtmfSend(worker);
    return;
  }
  dtmf_.active = true;
  dtmf_.digits = digits;
  dtmf_.durationSamples = std::max<uint32_t>(durationMs, 1) * codec.clockRate / 1000;
  dtmf_.inTone = true;
  if (!rfc4733) dtmf_.inbandTone = std::make_unique<ToneGenerator>(std::move(first));
}

void MediaSession::finishDtmfSend(Worker& worker) {
  if (!dtmf_.active) return;
  MediaEvent event;
  event.endpointId = endpoint_.id;
  event.kind = EventKind::DtmfSent;
  event.operation = dtmf_.operation;
  worker.emit(event);
  dtmf_ = DtmfSender{};
}

void MediaSession::record(Worker& worker, uint32_t operation, const RecordOptions& options) {
  if (recorder_) finishRecord(worker, RecordStatus::Stopped);
  recordOperation_ = operation;
  recordOptions_ = options;
  auto writer = std::make_unique<WavWriter>();
  std::string error;
  if (!isG711(endpoint_.codec().codec) || !writer->open(options.path, options.append, error)) {
    MediaEvent event;
    event.endpointId = endpoint_.id;
    event.kind = EventKind::RecordDone;
    event.operation = operation;
    event.status = static_cast<int32_t>(RecordStatus::Error);
    worker.emit(event);
    return;
  }
  recorder_ = std::move(writer);
  silentSamples_ = 0;
  recordDeadlineNs_ = options.maxDurationMs ? worker.now() + static_cast<int64_t>(options.maxDurationMs) * kMs : 0;
  refreshConsumers();
}

// app_record.c: on silence, keep one second of the trailing silence (rewind silence - 1000 ms);
// on DTMF, strip the last 1/4 s (the start of the tone); on timeout or stop, keep everything.
void MediaSession::finishRecord(Worker& worker, RecordStatus status) {
  if (!recorder_) return;
  if (status == RecordStatus::Silence && recordOptions_.silenceMs > 1000) {
    recorder_->truncate((recordOptions_.silenceMs - 1000) * 8u);
  } else if (status == RecordStatus::Dtmf) {
    recorder_->truncate(kDtmfTrimMs * 8u);
  }
  const size_t samples = recorder_->written();
  recorder_->close();
  recorder_.reset();
  MediaEvent event;
  event.endpointId = endpoint_.id;
  event.kind = EventKind::RecordDone;
  event.operation = recordOperation_;
  event.status = static_cast<int32_t>(status);
  event.value = static_cast<int32_t>(samples / 8);
  worker.emit(event);
  refreshConsumers();
}

void MediaSession::sendComfortNoise(Worker& worker) {
  constexpr uint8_t kComfortNoisePt = 13;  // RFC 3551 static CN
  const uint8_t level = 127;               // 127 - (level 0 & 0x7f)
  const int64_t now = worker.now();
  if (epochNs_ == 0) epochNs_ = now;
  const uint32_t timestamp =
      timestampBase_ + static_cast<uint32_t>((now - epochNs_) / 1000 * endpoint_.codec().clockRate / 1'000'000);
  sendPayload(worker, kComfortNoisePt, false, timestamp, &level, 1);
}

void MediaSession::refreshConsumers() {
  const bool inband = endpoint_.usesInband() && isG711(endpoint_.codec().codec);
  if (inband && !inband_) inband_ = std::make_unique<GoertzelDtmfDetector>();
  if (!inband) inband_.reset();
  const bool consume = inband_ != nullptr || recorder_ != nullptr;
  if (consume && !jitter_) {
    jitter_ = std::make_unique<JitterBuffer>(kPlayoutFrame);
    nextPlayoutNs_ = 0;
  }
  if (!consume) jitter_.reset();
}

void MediaSession::stopMedia(Worker& worker) {
  finishPlay(worker, PlayStatus::Stopped);
  stopTones(worker);
  echo_ = false;
  finishRecord(worker, RecordStatus::Stopped);
}

void MediaSession::shutdown(Worker& worker) {
  stopMedia(worker);
  finishDtmfSend(worker);
  worker.flushEventsNow();
}

}  // namespace tandem
