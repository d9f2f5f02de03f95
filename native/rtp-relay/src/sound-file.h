// Sound files for Playback: .ulaw, .alaw (raw G.711), .sln (raw 16-bit LE) and .wav (16-bit
// PCM mono 8 kHz), 8 kHz all, read a frame at a time on the I/O thread.
#pragma once
#include <cstdio>
#include <memory>
#include <string>

#include "g711.h"

namespace tandem {

enum class SoundFormat { Ulaw, Alaw, Slin, Wav };

class SoundFile {
 public:
  ~SoundFile();
  SoundFile(const SoundFile&) = delete;
  SoundFile& operator=(const SoundFile&) = delete;

  /**
   * Resolves `name` like Asterisk's file lookup: a relative name is taken under `soundsDir`;
   * a name with a known extension is used as is, otherwise the formats are tried in the order
   * that best fits `codec` (its own G.711 law first, so it plays bit-exact). Null + `error`
   * when nothing usable exists.
   */
  static std::unique_ptr<SoundFile> open(const std::string& name, const std::string& soundsDir, AudioCodec codec,
                                         std::string& error);

  /** Reads up to `count` samples encoded in `codec`; returns how many were read. */
  size_t read(uint8_t* out, size_t count, AudioCodec codec);
  SoundFormat format() const { return format_; }

 private:
  SoundFile(FILE* file, SoundFormat format, long dataBytes) : file_(file), format_(format), remaining_(dataBytes) {}
  static std::unique_ptr<SoundFile> openPath(const std::string& path, SoundFormat format, std::string& error);

  FILE* file_;
  SoundFormat format_;
  long remaining_;  // bytes of audio left (wav data chunk), -1 = to end of file
};

}  // namespace tandem
