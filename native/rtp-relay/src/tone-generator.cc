#include "tone-generator.h"

#include <cmath>
#include <cstdio>
#include <cstring>

namespace tandem {

namespace {
constexpr double kSampleRate = 8000.0;
constexpr double kMaxSample = 32768.0;
constexpr int kVolume = 7219;  // ast_playtones_start(): "Default to -8db"

unsigned midiToHz(unsigned note) {
  if (note > 127) return 0;
  return static_cast<unsigned>(440.0 * std::pow(2.0, (static_cast<double>(note) - 69.0) / 12.0) + 1e-9);
}

std::string strip(const std::string& text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

// ast_tone_zone_part_parse(): the same sscanf forms, in the same order.
bool parsePart(const char* s, unsigned& freq1, unsigned& freq2, unsigned& time, bool& modulate) {
  freq1 = freq2 = time = 0;
  modulate = false;
  bool midi = false;
  char tail = 0;
  auto exact = [&](int matched, int wanted) { return matched == wanted; };
  if (exact(std::sscanf(s, "%30u+%30u/%30u%c", &freq1, &freq2, &time, &tail), 3)) {
  } else if (exact(std::sscanf(s, "%30u+%30u%c", &freq1, &freq2, &tail), 2)) {
  } else if (exact(std::sscanf(s, "%30u*%30u/%30u%c", &freq1, &freq2, &time, &tail), 3)) {
    modulate = true;
  } else if (exact(std::sscanf(s, "%30u*%30u%c", &freq1, &freq2, &tail), 2)) {
    modulate = true;
  } else if (exact(std::sscanf(s, "%30u/%30u%c", &freq1, &time, &tail), 2)) {
  } else if (exact(std::sscanf(s, "%30u%c", &freq1, &tail), 1)) {
  } else if (exact(std::sscanf(s, "M%30u+M%30u/%30u%c", &freq1, &freq2, &time, &tail), 3)) {
    midi = true;
  } else if (exact(std::sscanf(s, "M%30u+M%30u%c", &freq1, &freq2, &tail), 2)) {
    midi = true;
  } else if (exact(std::sscanf(s, "M%30u*M%30u/%30u%c", &freq1, &freq2, &time, &tail), 3)) {
    midi = modulate = true;
  } else if (exact(std::sscanf(s, "M%30u*M%30u%c", &freq1, &freq2, &tail), 2)) {
    midi = modulate = true;
  } else if (exact(std::sscanf(s, "M%30u/%30u%c", &freq1, &time, &tail), 2)) {
    midi = true;
  } else if (exact(std::sscanf(s, "M%30u%c", &freq1, &tail), 1)) {
    midi = true;
  } else {
    return false;
  }
  if (midi) {
    freq1 = midiToHz(freq1);
    freq2 = freq2 ? midiToHz(freq2) : 0;
  }
  return true;
}
}  // namespace

bool parseToneList(const std::string& text, ToneList& out, std::string& error) {
  out = ToneList{};
  const char separator = text.find('|') != std::string::npos ? '|' : ',';
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    std::string part = strip(text.substr(start, end - start));
    start = end + 1;
    if (part.empty()) break;  // strsep loop in ast_playtones_start stops at an empty part
    bool once = false;
    if (part[0] == '!') {
      once = true;
      part.erase(0, 1);
    }
    unsigned freq1, freq2, time;
    bool modulate;
    if (!parsePart(part.c_str(), freq1, freq2, time, modulate)) continue;
    if (!once && out.repeatFrom == -1) out.repeatFrom = static_cast<int>(out.parts.size());
    TonePart tone;
    const double w1 = 2.0 * M_PI * (freq1 / kSampleRate);
    const double w2 = 2.0 * M_PI * (freq2 / kSampleRate);
    tone.fac1 = static_cast<int>(2.0 * std::cos(w1) * kMaxSample);
    tone.initV2First = static_cast<int>(std::sin(-2.0 * w1) * kVolume);
    tone.initV3First = static_cast<int>(std::sin(-w1) * kVolume);
    tone.fac2 = static_cast<int>(2.0 * std::cos(w2) * kMaxSample);
    tone.initV2Second = static_cast<int>(std::sin(-2.0 * w2) * kVolume);
    tone.initV3Second = static_cast<int>(std::sin(-w2) * kVolume);
    tone.durationMs = time;
    tone.modulate = modulate;
    out.parts.push_back(tone);
  }
  if (out.parts.empty()) {
    error = "no valid tone parts in '" + text + "'";
    return false;
  }
  return true;
}

// playtones_generator(): a two-oscillator recurrence in Q15, reloaded at each new part; a
// part ends at the end of the frame in which its duration is reached.
bool ToneGenerator::generate(int16_t* out, size_t count) {
  if (finished_) return false;
  const TonePart& part = list_.parts[part_];
  if (part_ != previousPart_) {
    v1First_ = 0;
    v2First_ = part.initV2First;
    v3First_ = part.initV3First;
    v1Second_ = 0;
    v2Second_ = part.initV2Second;
    v3Second_ = part.initV3Second;
    previousPart_ = part_;
  }
  for (size_t i = 0; i < count; ++i) {
    v1First_ = v2First_;
    v2First_ = v3First_;
    v3First_ = (part.fac1 * v2First_ >> 15) - v1First_;
    v1Second_ = v2Second_;
    v2Second_ = v3Second_;
    v3Second_ = (part.fac2 * v2Second_ >> 15) - v1Second_;
    int sample;
    if (part.modulate) {
      int p = v3Second_ - 32768;
      if (p < 0) p = -p;
      p = ((p * 9) / 10) + 1;
      sample = (v3First_ * p) >> 15;
    } else {
      sample = v3First_ + v3Second_;
    }
    out[i] = static_cast<int16_t>(sample > 32767 ? 32767 : sample < -32768 ? -32768 : sample);
  }
  position_ += static_cast<uint32_t>(count);
  if (part.durationMs && position_ >= part.durationMs * 8) {
    position_ = 0;
    if (++part_ >= list_.parts.size()) {
      if (list_.repeatFrom == -1) {
        finished_ = true;
        return true;
      }
      part_ = static_cast<size_t>(list_.repeatFrom);
    }
  }
  return true;
}

}  // namespace tandem
