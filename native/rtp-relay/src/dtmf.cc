#include "dtmf.h"

#include <cmath>
#include <cstring>

namespace tandem {

namespace {
const char kEventDigits[] = "0123456789*#ABCD";
const char kKeypad[4][5] = {"123A", "456B", "789C", "*0#D"};
const unsigned kRows[4] = {697, 770, 852, 941};
const unsigned kColumns[4] = {1209, 1336, 1477, 1633};

// main/dsp.c thresholds, expressed for floating Goertzel powers of int16-scale samples.
constexpr float kMinimumPower = 8.0e7f * 4.0f;  // DTMF_THRESHOLD (Q15 scaled) in these units
constexpr float kNormalTwist = 6.31f;           // 8 dB
constexpr float kReverseTwist = 2.51f;          // 4 dB
constexpr float kRelativePeak = 6.3f;           // 8 dB
constexpr float kToTotalEnergy = 42.0f;
constexpr int kHitsToBegin = 2;
constexpr int kMissesToEnd = 3;

float goertzel(const float* samples, int count, unsigned frequency) {
  const float coefficient = 2.0f * std::cos(2.0f * static_cast<float>(M_PI) * frequency / 8000.0f);
  float v1 = 0, v2 = 0;
  for (int i = 0; i < count; ++i) {
    const float v0 = coefficient * v1 - v2 + samples[i];
    v2 = v1;
    v1 = v0;
  }
  return v1 * v1 + v2 * v2 - coefficient * v1 * v2;
}
}  // namespace

char dtmfDigitForEvent(uint8_t event) { return event < 16 ? kEventDigits[event] : 0; }

int dtmfEventForDigit(char digit) {
  if (digit >= 'a' && digit <= 'd') digit = static_cast<char>(digit - 'a' + 'A');
  const char* found = digit ? std::strchr(kEventDigits, digit) : nullptr;
  return found ? static_cast<int>(found - kEventDigits) : -1;
}

bool dtmfFrequencies(char digit, unsigned& row, unsigned& column) {
  if (digit >= 'a' && digit <= 'd') digit = static_cast<char>(digit - 'a' + 'A');
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 4; ++c) {
      if (kKeypad[r][c] == digit) {
        row = kRows[r];
        column = kColumns[c];
        return true;
      }
    }
  }
  return false;
}

// RFC 4733 §2.5.1: one event = one timestamp; updates grow the duration; the E bit ends it
// (the end packet is usually sent three times). An event whose end was lost is reported when
// the next one starts.
bool Rfc4733Receiver::onPacket(const RtpView& packet, uint32_t clockRate, char& digit, uint32_t& durationMs) {
  if (packet.payloadLength < 4) return false;
  const char eventDigit = dtmfDigitForEvent(packet.payload[0]);
  const bool end = (packet.payload[1] & 0x80) != 0;
  const uint32_t duration = readU16(packet.payload + 2);
  const uint32_t rate = clockRate ? clockRate : 8000;
  bool completed = false;
  if (!active_ || packet.timestamp != timestamp_ || packet.ssrc != ssrc_) {
    if (active_ && !reported_ && digit_) {
      digit = digit_;
      durationMs = duration_ * 1000 / rate;
      completed = true;
    }
    active_ = true;
    reported_ = false;
    timestamp_ = packet.timestamp;
    ssrc_ = packet.ssrc;
    digit_ = eventDigit;
    duration_ = 0;
  }
  if (duration > duration_) duration_ = duration;
  if (end && !reported_ && digit_ && !completed) {
    reported_ = true;
    digit = digit_;
    durationMs = duration_ * 1000 / rate;
    return true;
  }
  if (end) reported_ = true;
  return completed;
}

char GoertzelDtmfDetector::classifyBlock() const {
  float rows[4], columns[4];
  int bestRow = 0, bestColumn = 0;
  for (int i = 0; i < 4; ++i) {
    rows[i] = goertzel(block_, kBlock, kRows[i]);
    columns[i] = goertzel(block_, kBlock, kColumns[i]);
    if (rows[i] > rows[bestRow]) bestRow = i;
    if (columns[i] > columns[bestColumn]) bestColumn = i;
  }
  const float row = rows[bestRow];
  const float column = columns[bestColumn];
  if (row < kMinimumPower || column < kMinimumPower) return 0;
  // Twist: the column (high group) may be up to 4 dB above the row, or 8 dB below it.
  if (!(column < row * kReverseTwist && column * kNormalTwist > row)) return 0;
  for (int i = 0; i < 4; ++i) {
    if ((i != bestColumn && columns[i] * kRelativePeak > column) || (i != bestRow && rows[i] * kRelativePeak > row)) {
      return 0;
    }
  }
  float energy = 0;
  for (int i = 0; i < kBlock; ++i) energy += block_[i] * block_[i];
  if (row + column <= kToTotalEnergy * energy) return 0;
  return kKeypad[bestRow][bestColumn];
}

bool GoertzelDtmfDetector::feed(const int16_t* samples, size_t count, char& digit, uint32_t& durationMs) {
  bool ended = false;
  for (size_t i = 0; i < count; ++i) {
    block_[filled_++] = samples[i];
    if (filled_ < kBlock) continue;
    filled_ = 0;
    const char hit = classifyBlock();
    if (current_) {
      if (hit == current_) {
        misses_ = 0;
        ++blocksHeard_;
      } else if (++misses_ >= kMissesToEnd) {
        digit = current_;
        durationMs = static_cast<uint32_t>(blocksHeard_ * kBlock / 8);
        ended = true;
        current_ = 0;
        hits_ = 0;
        candidate_ = 0;
      }
      continue;
    }
    if (hit && hit == candidate_) {
      if (++hits_ >= kHitsToBegin) {
        current_ = hit;
        blocksHeard_ = hits_;
        misses_ = 0;
      }
    } else {
      candidate_ = hit;
      hits_ = hit ? 1 : 0;
    }
  }
  return ended;
}

}  // namespace tandem
