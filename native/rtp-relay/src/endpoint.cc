#include "endpoint.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <random>

#include "packet-io.h"
#include "remote-connection.h"
#include "worker.h"

namespace tandem {

namespace {
/**
 * A random SSRC (RFC 3550 §8.1). One std::random_device per endpoint re-initialised the device
 * (a syscall or more) on every allocation; a generator seeded once per thread is enough.
 */
uint32_t randomSsrc() {
  thread_local std::mt19937 generator{std::random_device{}()};
  return static_cast<uint32_t>(generator());
}
}  // namespace

Endpoint::Endpoint(uint32_t id, int rtpFd, int rtcpFd, uint16_t rtpPort, SocketAddress local,
                   int64_t relatchSilenceNs)
    : rtpFd(rtpFd), id(id), rtcpFd(rtcpFd), rtpPort(rtpPort), relatchSilenceNs_(relatchSilenceNs),
      media_(std::make_unique<MediaSession>(*this, randomSsrc())), local(local) {}

Endpoint::~Endpoint() {
  // RAII: both sockets close together, so the port pair is reusable at once.
  if (rtpFd >= 0) close(rtpFd);
  if (rtcpFd >= 0) close(rtcpFd);
}

bool Endpoint::usesRfc2833() const {
  if (dtmfMode_ == DtmfMode::Rfc2833) return true;
  return dtmfMode_ == DtmfMode::Auto && codec_.telephoneEventPt >= 0;
}

bool Endpoint::usesInband() const {
  if (dtmfMode_ == DtmfMode::Inband) return true;
  return dtmfMode_ == DtmfMode::Auto && codec_.telephoneEventPt < 0;
}

void Endpoint::setRemote(const SocketAddress& rtp, const SocketAddress& rtcp, bool symmetric) {
  signalledRtp_ = rtp;
  signalledRtcp_ = rtcp;
  symmetric_ = symmetric;
  // A new offer/answer re-opens learning (rtpengine re-learns after a re-INVITE); the
  // signalled address itself is always accepted, others only while nothing is latched.
  disconnect();
  latchedRtp_.clear();
  latchedRtcp_.clear();
  publishRemote();
}

void Endpoint::publishRemote() {
  std::lock_guard<std::mutex> lock(publishedRemote.mutex);
  publishedRemote.valid = latchedRtp_.valid();
  publishedRemote.host = latchedRtp_.valid() ? latchedRtp_.host() : std::string();
  publishedRemote.port = latchedRtp_.valid() ? latchedRtp_.port() : 0;
}

// Symmetric latching that resists RTP injection: a different source replaces the latched one
// only when it is the address signalled in SDP, or after the latched source has been silent
// for the re-latch window (res_rtp_asterisk's strictrtp learns a new source only in learning
// mode; rtpengine's endpoint learning re-confirms likewise).
bool Endpoint::acceptRtpSource(const SocketAddress& source, int64_t nowNs) {
  if (latchedRtp_.valid() && source.sameEndpoint(latchedRtp_)) {
    lastAcceptedRtpNs_ = nowNs;
    return true;
  }
  const bool fromSignalled = signalledRtp_.valid() && source.sameEndpoint(signalledRtp_);
  const bool latchExpired = !latchedRtp_.valid() || nowNs - lastAcceptedRtpNs_ >= relatchSilenceNs_;
  if (!fromSignalled && !latchExpired) return false;
  latchRtp(source);
  lastAcceptedRtpNs_ = nowNs;
  return true;
}

void Endpoint::latchRtp(const SocketAddress& source) {
  disconnect();
  latchedRtp_ = source;
  publishRemote();
}

// Connected, the kernel drops datagrams from every source but the latched one. The latching
// rules do the same as long as the latched source is the signalled address (no other source
// may re-latch at once) and has not been silent for the re-latch window: checkConnection()
// disconnects once it has. Being the signalled address, the latched source is also where RTP
// goes, with or without comedia, so sends need no address either.
void Endpoint::considerConnecting(Worker& worker, const msghdr& header) {
  link_ = RemoteLink::NotNow;
  if (!latchedRtp_.sameEndpoint(signalledRtp_)) return;
  SocketAddress arrivedAt;
  if (local.isUnspecified() && !packetDestination(header, arrivedAt)) return;
  if (!connectRemote(rtpFd, latchedRtp_, arrivedAt)) return;
  link_ = RemoteLink::Connected;
  worker.watchConnection(this);
}

bool Endpoint::checkConnection(int64_t nowNs) {
  if (link_ == RemoteLink::Connected && nowNs - lastAcceptedRtpNs_ >= relatchSilenceNs_) disconnect();
  return link_ == RemoteLink::Connected;
}

void Endpoint::disconnect() {
  if (link_ == RemoteLink::Connected) disconnectRemote(rtpFd);
  link_ = RemoteLink::Open;
}

bool Endpoint::acceptRtcpSource(const SocketAddress& source) {
  if (latchedRtcp_.valid() && source.sameEndpoint(latchedRtcp_)) return true;
  const bool fromSignalled = signalledRtcp_.valid() && source.sameEndpoint(signalledRtcp_);
  // RTCP follows the RTP latch: it must come from the host whose RTP we accepted.
  const bool fromRtpHost = latchedRtp_.valid() ? source.sameHost(latchedRtp_) : !latchedRtcp_.valid();
  if (!fromSignalled && !fromRtpHost) return false;
  latchedRtcp_ = source;
  return true;
}

const SocketAddress& Endpoint::rtpDestination() const {
  // chan_sip nat=comedia: send where the party's RTP comes from; before it has sent anything,
  // to the SDP address.
  if (symmetric_ && latchedRtp_.valid()) return latchedRtp_;
  return signalledRtp_;
}

const SocketAddress& Endpoint::rtcpDestination() const {
  if (symmetric_ && latchedRtcp_.valid()) return latchedRtcp_;
  return signalledRtcp_;
}

void Endpoint::handleRtp(Worker& worker, uint8_t* data, size_t length, const SocketAddress& source,
                         int64_t arrivalNs, const msghdr& header) {
  RtpView view;
  if (!parseRtp(data, length, view)) {
    bump(counters.malformedPackets);
    return;
  }
  const int64_t now = worker.now();
  if (!acceptRtpSource(source, now)) {
    bump(counters.rejectedPackets);
    return;
  }
  if (link_ == RemoteLink::Open) considerConnecting(worker, header);
  lastActivityNs_ = now;
  bump(counters.rxPackets);
  bump(counters.rxBytes, length);
  const bool isEvent =
      codec_.telephoneEventPt >= 0 && view.payloadType == static_cast<uint8_t>(codec_.telephoneEventPt);
  receiveStats_.update(view, arrivalNs, codec_.clockRate, !isEvent);
  counters.lost.store(static_cast<uint64_t>(receiveStats_.lost()), std::memory_order_relaxed);
  counters.jitterMicros.store(receiveStats_.jitterMicros(), std::memory_order_relaxed);

  // What we declared toward this party says whether its media is taken in at all.
  if (direction_ == Direction::SendOnly || direction_ == Direction::Inactive) return;
  // Detection, recording and echo first: forwarding may rewrite the buffer in place. A plain
  // relayed packet skips the media session altogether.
  if (isEvent || (mediaFlags_ & (MediaSession::kConsumesAudio | MediaSession::kEchoes))) {
    media_->onRtp(worker, view, data, length, arrivalNs, isEvent);
    refreshMediaFlags();
  }
  if (peer_ != nullptr) peer_->forwardRtpFrom(worker, *this, view, data, length, isEvent);
}

void Endpoint::forwardRtpFrom(Worker& worker, const Endpoint& from, const RtpView& view,
                              uint8_t* data, size_t length, bool isEvent) {
  if (direction_ == Direction::RecvOnly || direction_ == Direction::Inactive) return;
  // Media Tandem plays to this party (prompts, tones, DTMF) takes the place of relayed media.
  if (mediaFlags_ & MediaSession::kOverridesRelay) return;
  if (isEvent) {
    // RFC 4733 events go on only where telephone-event was negotiated, under that PT.
    if (codec_.telephoneEventPt < 0) return;
    data[1] = static_cast<uint8_t>((data[1] & 0x80) | codec_.telephoneEventPt);
  } else if (view.payloadType == from.codec_.payloadType) {
    const AudioCodec in = from.codec_.codec;
    const AudioCodec out = codec_.codec;
    if (in != out && in != AudioCodec::Other && out != AudioCodec::Other) {
      // The payload sits inside the receive buffer: transcode it in place.
      uint8_t* payload = data + (view.payload - data);
      transcodeG711(payload, payload, view.payloadLength, in, out);
    }
    data[1] = static_cast<uint8_t>((data[1] & 0x80) | codec_.payloadType);
  }
  sendRtp(worker, data, length);
}

void Endpoint::sendRtp(Worker& worker, const uint8_t* data, size_t length) {
  lastTxNs_ = worker.now();
  const SocketAddress& destination = rtpDestination();
  if (!destination.valid()) return;
  // Connected, the kernel sends to the connected address, which is the destination
  // (considerConnecting()); selecting the arguments keeps this path branch-free and inlined.
  const bool connected = link_ == RemoteLink::Connected;
  if (sendDatagram(rtpFd, data, length, connected ? nullptr : destination.raw(), connected ? 0 : destination.length) < 0) {
    bump(counters.sendErrors);
    return;
  }
  bump(sent.packets);
  bump(sent.bytes, length);
}

void Endpoint::sendRtcp(Worker& worker, const uint8_t* data, size_t length) {
  const SocketAddress& destination = rtcpDestination();
  if (!destination.valid()) return;
  if (sendDatagram(rtcpFd, data, length, destination.raw(), destination.length) < 0) {
    bump(counters.sendErrors);
    return;
  }
  bump(counters.rtcpTxPackets);
  RtcpSummary summary;
  if (parseRtcp(data, length, summary) && summary.hasSenderReport) {
    senderReportsToParty_.record(summary.senderNtpMiddle, worker.now());
  }
}

void Endpoint::handleRtcp(Worker& worker, uint8_t* data, size_t length, const SocketAddress& source) {
  RtcpSummary summary;
  if (!parseRtcp(data, length, summary)) {
    bump(counters.malformedPackets);
    return;
  }
  if (!acceptRtcpSource(source)) {
    bump(counters.rejectedPackets);
    return;
  }
  // chan_sip (Asterisk 20): check_rtp_timeout() counts RTCP as activity too.
  lastActivityNs_ = worker.now();
  bump(counters.rtcpRxPackets);
  if (summary.hasReportBlock) {
    counters.rtcpFractionLost256.store(summary.fractionLost, std::memory_order_relaxed);
    const int64_t rtt = senderReportsToParty_.rttMicros(
        summary.lastSenderReport, summary.delaySinceLastSenderReport, worker.now());
    if (rtt >= 0) counters.rtcpRttMicros.store(rtt, std::memory_order_relaxed);
  }
  if (direction_ == Direction::Inactive) return;
  if (peer_ != nullptr) peer_->sendRtcp(worker, data, length);
}

void Endpoint::setTimeouts(int64_t rtpTimeoutNs, int64_t holdTimeoutNs, int64_t keepaliveNs, int64_t nowNs) {
  rtpTimeoutNs_ = rtpTimeoutNs;
  holdTimeoutNs_ = holdTimeoutNs;
  keepaliveNs_ = keepaliveNs;
  if (lastTxNs_ == 0) lastTxNs_ = nowNs;
  // chan_sip resets lastrtprx when it sends SDP; arming the timers starts the clock here.
  lastActivityNs_ = nowNs;
}

// chan_sip (Asterisk 20): check_rtp_timeout(). Nothing happens unless rtptimeout is set (even
// with rtpholdtimeout alone); while on hold the call survives until rtpholdtimeout has also
// passed. After firing, both timers are forgotten so the hangup is requested once.
void Endpoint::checkTimeouts(Worker& worker, int64_t nowNs) {
  // chan_sip rtpkeepalive: after that long without sending, one comfort-noise packet.
  if (keepaliveNs_ != 0 && nowNs - lastTxNs_ > keepaliveNs_) media_->sendComfortNoise(worker);
  if (rtpTimeoutNs_ == 0) return;
  const int64_t idle = nowNs - lastActivityNs_;
  if (idle <= rtpTimeoutNs_) return;
  const bool onHold = direction_ != Direction::SendRecv;
  if (onHold && (holdTimeoutNs_ == 0 || idle <= holdTimeoutNs_)) return;
  MediaEvent event;
  event.endpointId = id;
  event.kind = EventKind::Timeout;
  event.status = onHold ? 1 : 0;
  worker.emit(event);
  rtpTimeoutNs_ = 0;
  holdTimeoutNs_ = 0;
}

void Endpoint::setCodec(Worker& worker, const CodecSettings& codec) {
  codec_ = codec;
  media_->refreshConsumers();
  refreshMediaFlags();
  if (media_->needsTimers()) worker.wantTimers(this);
}

void Endpoint::setDtmfMode(Worker& worker, DtmfMode mode) {
  dtmfMode_ = mode;
  media_->refreshConsumers();
  refreshMediaFlags();
  if (media_->needsTimers()) worker.wantTimers(this);
}

void Endpoint::shutdownMedia(Worker& worker) {
  media_->shutdown(worker);
  refreshMediaFlags();
}

bool Endpoint::needsTimers() const { return media_->needsTimers(); }

int64_t Endpoint::nextTimerNs() const { return media_->nextTimerNs(); }

bool Endpoint::runTimers(Worker& worker, int64_t nowNs) {
  const bool more = media_->runTimers(worker, nowNs);
  refreshMediaFlags();
  return more;
}

void Endpoint::link(Endpoint& a, Endpoint& b) {
  if (a.peer_ == &b && b.peer_ == &a) return;
  a.unlink();
  b.unlink();
  a.peer_ = &b;
  b.peer_ = &a;
}

void Endpoint::unlink() {
  if (peer_ != nullptr) peer_->peer_ = nullptr;
  peer_ = nullptr;
}

}  // namespace tandem
