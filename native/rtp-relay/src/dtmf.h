// DTMF: RFC 4733 telephone-event reception, and inband detection with Goertzel filters
// (Asterisk's main/dsp.c parameters: 102-sample blocks, twist and relative-peak tests,
// 2 hits to begin, 3 misses to end).
#pragma once
#include <cstddef>
#include <cstdint>

#include "rtp-packet.h"

namespace tandem {

/** '0'-'9', '*', '#', 'A'-'D' for RFC 4733 events 0-15; 0 for anything else. */
char dtmfDigitForEvent(uint8_t event);
/** The RFC 4733 event code of a digit, or -1. */
int dtmfEventForDigit(char digit);
/** Row and column frequencies of a digit; false for a non-DTMF character. */
bool dtmfFrequencies(char digit, unsigned& row, unsigned& column);

/** Follows RFC 4733 events of one stream; reports each digit once, when it ends. */
class Rfc4733Receiver {
 public:
  /** True (with digit and duration) when `packet` completes a digit. */
  bool onPacket(const RtpView& packet, uint32_t clockRate, char& digit, uint32_t& durationMs);

 private:
  bool active_ = false;
  bool reported_ = false;
  uint32_t timestamp_ = 0;
  uint32_t ssrc_ = 0;
  char digit_ = 0;
  uint32_t duration_ = 0;
};

/** Inband DTMF detection on 8 kHz linear audio. */
class GoertzelDtmfDetector {
 public:
  /** Feeds samples; true (with digit and duration) when a digit has ended. */
  bool feed(const int16_t* samples, size_t count, char& digit, uint32_t& durationMs);

 private:
  char classifyBlock() const;

  static constexpr int kBlock = 102;  // DTMF_GSIZE
  float block_[kBlock];
  int filled_ = 0;
  char current_ = 0;   // digit being heard (after enough hits)
  char candidate_ = 0;
  int hits_ = 0;
  int misses_ = 0;
  int blocksHeard_ = 0;
};

}  // namespace tandem
