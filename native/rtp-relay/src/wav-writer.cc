#include "wav-writer.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tandem {

namespace {
void putU32(uint8_t* p, uint32_t v) {
  p[0] = v & 0xff; p[1] = (v >> 8) & 0xff; p[2] = (v >> 16) & 0xff; p[3] = (v >> 24) & 0xff;
}
void putU16(uint8_t* p, uint16_t v) { p[0] = v & 0xff; p[1] = (v >> 8) & 0xff; }

void header(uint8_t* out, uint32_t dataBytes) {
  std::memcpy(out, "RIFF", 4);
  putU32(out + 4, 36 + dataBytes);
  std::memcpy(out + 8, "WAVEfmt ", 8);
  putU32(out + 16, 16);
  putU16(out + 20, 1);      // PCM
  putU16(out + 22, 1);      // mono
  putU32(out + 24, 8000);   // sample rate
  putU32(out + 28, 16000);  // byte rate
  putU16(out + 32, 2);      // block align
  putU16(out + 34, 16);     // bits per sample
  std::memcpy(out + 36, "data", 4);
  putU32(out + 40, dataBytes);
}
}  // namespace

bool WavWriter::open(const std::string& path, bool append, std::string& error) {
  close();
  path_ = path;
  written_ = existing_ = 0;
  if (append) {
    file_ = std::fopen(path.c_str(), "r+b");
    if (file_) {
      uint8_t existing[44];
      uint8_t expected[44];
      header(expected, 0);
      const bool compatible = std::fread(existing, 1, 44, file_) == 44 &&
                              std::memcmp(existing, expected, 4) == 0 &&
                              std::memcmp(existing + 8, expected + 8, 28) == 0 &&
                              std::memcmp(existing + 36, "data", 4) == 0;
      if (!compatible) {
        std::fclose(file_);
        file_ = nullptr;
        error = path + " is not a 16-bit mono 8 kHz WAV written by Record; cannot append";
        return false;
      }
      existing_ = (existing[40] | (existing[41] << 8) | (existing[42] << 16) | (size_t(existing[43]) << 24)) / 2;
      std::fseek(file_, static_cast<long>(44 + existing_ * 2), SEEK_SET);
      return true;
    }
  }
  file_ = std::fopen(path.c_str(), "w+b");
  if (!file_) {
    error = "cannot create " + path + ": " + std::strerror(errno);
    return false;
  }
  uint8_t empty[44];
  header(empty, 0);
  if (std::fwrite(empty, 1, 44, file_) != 44) {
    error = "cannot write " + path;
    return false;
  }
  return true;
}

bool WavWriter::write(const int16_t* samples, size_t count) {
  if (!file_) return false;
  uint8_t bytes[2 * 960];
  while (count > 0) {
    const size_t chunk = count > 960 ? 960 : count;
    for (size_t i = 0; i < chunk; ++i) putU16(bytes + 2 * i, static_cast<uint16_t>(samples[i]));
    if (std::fwrite(bytes, 2, chunk, file_) != chunk) return false;
    written_ += chunk;
    samples += chunk;
    count -= chunk;
  }
  return true;
}

void WavWriter::truncate(size_t samples) {
  written_ = samples >= written_ ? 0 : written_ - samples;
}

void WavWriter::close() {
  if (!file_) return;
  const size_t total = existing_ + written_;
  uint8_t fixed[44];
  header(fixed, static_cast<uint32_t>(total * 2));
  std::fflush(file_);
  if (ftruncate(fileno(file_), static_cast<off_t>(44 + total * 2)) != 0) {
    // The header below still describes the right length; trailing bytes are ignored by readers.
  }
  std::fseek(file_, 0, SEEK_SET);
  std::fwrite(fixed, 1, 44, file_);
  std::fclose(file_);
  file_ = nullptr;
}

}  // namespace tandem
