// Tone lists in indications.conf syntax ("440+480/2000,0/4000", "!350+440/100,...", "M69*M72")
// and the oscillator that plays them, as Asterisk's main/indications.c does.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tandem {

struct TonePart {
  int fac1 = 0, fac2 = 0;
  int initV2First = 0, initV3First = 0;
  int initV2Second = 0, initV3Second = 0;
  uint32_t durationMs = 0;  // 0 = for ever
  bool modulate = false;
};

/** A parsed tone list. */
struct ToneList {
  std::vector<TonePart> parts;
  int repeatFrom = -1;  // first part without '!'; -1 = play once
};

/**
 * ast_playtones_start(): parts separated by ',' (or '|' when present); '!' marks a part that
 * is not repeated; `f1[+f2][/ms]`, `f1*f2` amplitude modulation, `M<note>` MIDI notes. Parts
 * that don't parse are skipped; false when none is left.
 */
bool parseToneList(const std::string& text, ToneList& out, std::string& error);

class ToneGenerator {
 public:
  explicit ToneGenerator(ToneList list) : list_(std::move(list)) {}
  /** Fills `count` 8 kHz samples; false once a non-repeating list has ended. */
  bool generate(int16_t* out, size_t count);

 private:
  ToneList list_;
  size_t part_ = 0;
  size_t previousPart_ = SIZE_MAX;
  uint32_t position_ = 0;
  int v1First_ = 0, v2First_ = 0, v3First_ = 0;
  int v1Second_ = 0, v2Second_ = 0, v3Second_ = 0;
  bool finished_ = false;
};

}  // namespace tandem
