// Record's output: a 16-bit PCM mono 8 kHz WAV whose sizes are fixed up on close.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>

namespace tandem {

class WavWriter {
 public:
  WavWriter() = default;
  ~WavWriter() { close(); }
  WavWriter(const WavWriter&) = delete;
  WavWriter& operator=(const WavWriter&) = delete;

  /** Creates (or, with `append`, extends a compatible) WAV file; false + `error` on failure. */
  bool open(const std::string& path, bool append, std::string& error);
  bool write(const int16_t* samples, size_t count);
  /** Drops the last `samples` written in this session (Record's trailing trim). */
  void truncate(size_t samples);
  /** Samples written in this session. */
  size_t written() const { return written_; }
  void close();

 private:
  FILE* file_ = nullptr;
  std::string path_;
  long dataStart_ = 44;
  size_t existing_ = 0;  // samples already in the file when appending
  size_t written_ = 0;
};

}  // namespace tandem
