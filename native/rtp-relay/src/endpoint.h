// One RTP/RTCP port pair facing one SIP party. Everything below "worker-owned" is touched only
// by the I/O thread that currently owns the endpoint; the JS thread reaches it through commands.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "counters.h"
#include "g711.h"
#include "media-session.h"
#include "rtcp.h"
#include "rtp-packet.h"
#include "rtp-receive-stats.h"
#include "socket-address.h"

namespace tandem {

class Worker;

enum class Direction : uint8_t { SendRecv = 0, SendOnly, RecvOnly, Inactive };
enum class DtmfMode : uint8_t { Rfc2833 = 0, Inband, Info, ShortInfo, Auto };
/** Whether the RTP socket is connected to the party (remote-connection.h). */
enum class RemoteLink : uint8_t { Open = 0, Connected, NotNow };

/** The codec negotiated with this party (set by the SIP layer from SDP). */
struct CodecSettings {
  uint8_t payloadType = 0;
  AudioCodec codec = AudioCodec::Pcmu;
  uint32_t clockRate = 8000;
  uint32_t ptimeMs = 20;
  int telephoneEventPt = -1;  // -1: not negotiated

  uint32_t samplesPerPacket() const { return clockRate / 1000 * ptimeMs; }
};

/** The latched remote, published for stats() under a mutex taken only when it changes. */
struct PublishedRemote {
  std::mutex mutex;
  bool valid = false;
  std::string host;
  uint16_t port = 0;
};

// Cache-line aligned, with what the packet path touches first: relaying one packet reads and
// writes lines 0-3 of the receiving endpoint and lines 0-1 of the sending one (six), where
// they once spread over eight to ten unaligned lines of the two; the kernel's own work
// evicts them between a call's packets, 20 ms apart, so each line is a cache miss.
class alignas(64) Endpoint {
 public:
  Endpoint(uint32_t id, int rtpFd, int rtcpFd, uint16_t rtpPort, SocketAddress local,
           int64_t relatchSilenceNs);
  ~Endpoint();
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  // ---- line 0: read for every packet, received or sent ----
 private:
  Direction direction_ = Direction::SendRecv;
  uint8_t mediaFlags_ = 0;
  bool symmetric_ = false;
  /** Open: not connected, try at the next accepted packet; NotNow: not until the latch moves. */
  RemoteLink link_ = RemoteLink::Open;

 public:
  // Immutable after construction: readable from any thread.
  const int rtpFd;

 private:
  Endpoint* peer_ = nullptr;
  CodecSettings codec_;
  int64_t lastTxNs_ = 0;

 public:
  /** RTP sent to the party (the rest of the counters are with the receive side, line 3). */
  SendCounters sent;
  const uint32_t id;
  const int rtcpFd;

  // ---- line 1: where RTP goes and comes from ----
 private:
  SocketAddress signalledRtp_;
  SocketAddress latchedRtp_;
  // ---- line 2: the received stream's RFC 3550 state ----
  RtpReceiveStats receiveStats_;
  // ---- line 3 on: receive times and counters ----
  int64_t lastAcceptedRtpNs_ = 0;
  int64_t lastActivityNs_ = 0;

 public:
  EndpointCounters counters;
  const uint16_t rtpPort;

  // ---- worker-owned ----
  /** `header`: the datagram's receive header (its PKTINFO, for connecting a wildcard socket). */
  void handleRtp(Worker& worker, uint8_t* data, size_t length, const SocketAddress& source,
                 int64_t arrivalNs, const msghdr& header);
  void handleRtcp(Worker& worker, uint8_t* data, size_t length, const SocketAddress& source);
  /** Sends one RTP packet to the party (latched address under comedia, else the signalled one). */
  void sendRtp(Worker& worker, const uint8_t* data, size_t length);
  void sendRtcp(Worker& worker, const uint8_t* data, size_t length);

  void setRemote(const SocketAddress& rtp, const SocketAddress& rtcp, bool symmetric);
  void setCodec(Worker& worker, const CodecSettings& codec);
  const CodecSettings& codec() const { return codec_; }
  void setDirection(Direction direction) { direction_ = direction; }
  Direction direction() const { return direction_; }
  void setDtmfMode(Worker& worker, DtmfMode mode);
  /** Ends playback, tones, echo, recording and DTMF sending (completion events included). */
  void shutdownMedia(Worker& worker);
  DtmfMode dtmfMode() const { return dtmfMode_; }
  /** chan_sip `dtmfmode=auto`: RFC 2833 when telephone-event was negotiated, else inband. */
  bool usesRfc2833() const;
  bool usesInband() const;
  void setTimeouts(int64_t rtpTimeoutNs, int64_t holdTimeoutNs, int64_t keepaliveNs, int64_t nowNs);
  void checkTimeouts(Worker& worker, int64_t nowNs);
  /** An RTP timeout or keepalive is armed: checkTimeouts() has work to do. */
  bool watchesTimeouts() const { return rtpTimeoutNs_ != 0 || keepaliveNs_ != 0; }
  /**
   * Dissolves the RTP socket's connection once the latched source has been silent for the
   * re-latch window, so a new source can be learned; false when no longer connected.
   */
  bool checkConnection(int64_t nowNs);
  bool remoteConnected() const { return link_ == RemoteLink::Connected; }

  /** Media timers (playback pacing, jitter-buffer playout): wanted now, next deadline, run. */
  bool needsTimers() const;
  int64_t nextTimerNs() const;
  /** Runs due media work; false when no timer is needed any more. */
  bool runTimers(Worker& worker, int64_t nowNs);

  Endpoint* peer() const { return peer_; }
  MediaSession& media() { return *media_; }
  /** Links two endpoints of the same worker (unlinking their previous peers). */
  static void link(Endpoint& a, Endpoint& b);
  void unlink();

  /** Called for packets relayed from `from` (already validated). */
  void forwardRtpFrom(Worker& worker, const Endpoint& from, const RtpView& view, uint8_t* data,
                      size_t length, bool isEvent);
  /** Caches what the media session wants from the packet path (after any media change). */
  void refreshMediaFlags() { mediaFlags_ = media_->flags(); }

 private:
  bool acceptRtpSource(const SocketAddress& source, int64_t nowNs);
  /** Sets latchedRtp_, dissolving a connection to the previous source first. */
  void latchRtp(const SocketAddress& source);
  void considerConnecting(Worker& worker, const msghdr& header);
  void disconnect();
  bool acceptRtcpSource(const SocketAddress& source);
  void publishRemote();
  const SocketAddress& rtpDestination() const;
  const SocketAddress& rtcpDestination() const;

  // Cold.
  int64_t relatchSilenceNs_;
  SocketAddress signalledRtcp_;
  SocketAddress latchedRtcp_;
  int64_t rtpTimeoutNs_ = 0;
  int64_t holdTimeoutNs_ = 0;
  int64_t keepaliveNs_ = 0;
  DtmfMode dtmfMode_ = DtmfMode::Rfc2833;
  SenderReportLog senderReportsToParty_;
  std::unique_ptr<MediaSession> media_;

 public:
  const SocketAddress local;
  PublishedRemote publishedRemote;
  /** The worker commands must be posted to; read and written on the JS thread only. */
  Worker* owner = nullptr;
};

}  // namespace tandem
