// The media endpoint side of an Endpoint: what Tandem itself plays to the party (Playback,
// tones, RFC 4733 / inband DTMF), echoes back, or takes from it (Record, DTMF detection).
// Worker-owned, like the Endpoint it belongs to.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dtmf.h"
#include "jitter-buffer.h"
#include "media-event.h"
#include "rtp-packet.h"
#include "sound-file.h"
#include "tone-generator.h"
#include "wav-writer.h"

namespace tandem {

class Endpoint;
class Worker;

struct RecordOptions {
  std::string path;
  uint32_t silenceMs = 0;      // 0 = no silence detection
  uint32_t maxDurationMs = 0;  // 0 = no limit
  std::string terminators;
  bool append = false;
};

class MediaSession {
 public:
  MediaSession(Endpoint& endpoint, uint32_t ssrc);
  ~MediaSession();

  /** A party's packet that passed the latch and direction checks. */
  void onRtp(Worker& worker, const RtpView& packet, const uint8_t* data, size_t length, int64_t arrivalNs, bool isEvent);
  /** True while Tandem generates media toward the party (relayed media then stands aside). */
  bool overridesRelay() const;

  /** What the packet path must do for this session (cached by the Endpoint). */
  static constexpr uint8_t kConsumesAudio = 1;  // record / inband detection: decode into the jitter buffer
  static constexpr uint8_t kEchoes = 2;
  static constexpr uint8_t kOverridesRelay = 4;
  uint8_t flags() const {
    return static_cast<uint8_t>((jitter_ ? kConsumesAudio : 0) | (echo_ ? kEchoes : 0) |
                                (overridesRelay() ? kOverridesRelay : 0));
  }

  /** Plays `files` in order; `loop` starts over after the last (music on hold) until stopped. */
  void play(Worker& worker, uint32_t operation, std::vector<std::string> files, std::string interruptDigits,
            const std::string& soundsDir, bool loop);
  void playTones(Worker& worker, ToneList tones);
  void stopTones(Worker& worker);
  void setEcho(bool on) { echo_ = on; }
  void record(Worker& worker, uint32_t operation, const RecordOptions& options);
  void stopMedia(Worker& worker);
  void sendDtmf(Worker& worker, uint32_t operation, const std::string& digits, uint32_t durationMs);
  /** A digit learned from signalling (SIP INFO): interrupts and reports like a detected one. */
  void digitFromSignalling(Worker& worker, char digit, uint32_t durationMs);
  /** res_rtp_asterisk ast_rtp_sendcng(): one CN packet (level byte 127) on Tandem's stream. */
  void sendComfortNoise(Worker& worker);
  /** Re-evaluates what must be consumed after a codec or dtmfmode change. */
  void refreshConsumers();
  /** Ends everything with 'stopped' completions (release, engine close). */
  void shutdown(Worker& worker);

  bool needsTimers() const;
  int64_t nextTimerNs() const;
  bool runTimers(Worker& worker, int64_t nowNs);

 private:
  enum class Output { None, Playback, Tones };
  struct DtmfSender {
    bool active = false;
    uint32_t operation = 0;
    std::string digits;
    size_t index = 0;
    uint32_t durationSamples = 0;
    bool inTone = false;
    uint32_t elapsed = 0;      // samples of the current digit or gap
    uint32_t eventTimestamp = 0;
    std::unique_ptr<ToneGenerator> inbandTone;
  };

  void onDigit(Worker& worker, char digit, uint32_t durationMs);
  void finishPlay(Worker& worker, PlayStatus status, char digit = 0);
  void finishRecord(Worker& worker, RecordStatus status);
  void finishDtmfSend(Worker& worker);
  bool openNextFile(Worker& worker);
  void startTalkspurt(int64_t nowNs);
  void produceFrame(Worker& worker);
  bool produceDtmfFrame(Worker& worker);
  void sendPayload(Worker& worker, uint8_t payloadType, bool marker, uint32_t timestamp, const uint8_t* payload,
                   size_t length);
  void consumeFrame(Worker& worker, const int16_t* samples, size_t count);
  uint32_t samplesPerFrame() const;
  int64_t frameNs() const;

  Endpoint& endpoint_;
  // Tandem's own outgoing stream (generated media and echo): SSRC, sequence, timestamp.
  uint32_t ssrc_;
  uint16_t sequence_;
  uint32_t timestamp_;
  uint32_t timestampBase_;
  int64_t epochNs_ = 0;
  bool outputRunning_ = false;
  int64_t nextOutputNs_ = 0;

  Output output_ = Output::None;
  bool markerNext_ = false;
  std::vector<std::string> playlist_;
  size_t playIndex_ = 0;
  bool loopPlaylist_ = false;
  // Samples read since the playlist (re)started: a looping playlist that yields none stops.
  size_t playedThisRound_ = 0;
  std::string soundsDir_;
  std::unique_ptr<SoundFile> file_;
  uint32_t playOperation_ = 0;
  bool playPending_ = false;
  std::string interruptDigits_;
  std::unique_ptr<ToneGenerator> tones_;
  DtmfSender dtmf_;
  bool echo_ = false;

  Rfc4733Receiver rfc4733_;
  std::unique_ptr<JitterBuffer> jitter_;
  std::unique_ptr<GoertzelDtmfDetector> inband_;
  int64_t nextPlayoutNs_ = 0;

  std::unique_ptr<WavWriter> recorder_;
  RecordOptions recordOptions_;
  uint32_t recordOperation_ = 0;
  int64_t recordDeadlineNs_ = 0;
  size_t silentSamples_ = 0;
};

}  // namespace tandem
