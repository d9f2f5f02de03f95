#include "sound-file.h"

#include <sys/stat.h>

#include <cstdint>
#include <cstring>

#include "rtp-packet.h"

namespace tandem {

namespace {
bool endsWith(const std::string& text, const char* suffix) {
  const size_t length = std::strlen(suffix);
  return text.size() >= length && text.compare(text.size() - length, length, suffix) == 0;
}

bool isFile(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

uint32_t littleU32(const uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t(p[3]) << 24); }
uint16_t littleU16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

// Positions `file` at the data chunk of a 16-bit mono 8 kHz PCM WAV; returns its size or -1.
long findWavData(FILE* file, std::string& error) {
  uint8_t riff[12];
  if (std::fread(riff, 1, 12, file) != 12 || std::memcmp(riff, "RIFF", 4) != 0 || std::memcmp(riff + 8, "WAVE", 4) != 0) {
    error = "not a RIFF/WAVE file";
    return -1;
  }
  bool haveFormat = false;
  for (;;) {
    uint8_t chunk[8];
    if (std::fread(chunk, 1, 8, file) != 8) {
      error = "WAV file has no data chunk";
      return -1;
    }
    const uint32_t size = littleU32(chunk + 4);
    if (std::memcmp(chunk, "fmt ", 4) == 0) {
      uint8_t format[16];
      if (size < 16 || std::fread(format, 1, 16, file) != 16) {
        error = "truncated WAV fmt chunk";
        return -1;
      }
      if (littleU16(format) != 1 || littleU16(format + 2) != 1 || littleU32(format + 4) != 8000 ||
          littleU16(format + 14) != 16) {
        error = "WAV must be 16-bit PCM, mono, 8000 Hz";
        return -1;
      }
      haveFormat = true;
      if (std::fseek(file, static_cast<long>(size - 16 + (size & 1)), SEEK_CUR) != 0) return -1;
    } else if (std::memcmp(chunk, "data", 4) == 0) {
      if (!haveFormat) {
        error = "WAV data chunk before its fmt chunk";
        return -1;
      }
      return static_cast<long>(size);
    } else if (std::fseek(file, static_cast<long>(size + (size & 1)), SEEK_CUR) != 0) {
      error = "truncated WAV chunk";
      return -1;
    }
  }
}
}  // namespace

SoundFile::~SoundFile() {
  if (file_) std::fclose(file_);
}

std::unique_ptr<SoundFile> SoundFile::openPath(const std::string& path, SoundFormat format, std::string& error) {
  FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  long bytes = -1;
  if (format == SoundFormat::Wav) {
    bytes = findWavData(file, error);
    if (bytes < 0) {
      std::fclose(file);
      error = path + ": " + error;
      return nullptr;
    }
  }
  return std::unique_ptr<SoundFile>(new SoundFile(file, format, bytes));
}

std::unique_ptr<SoundFile> SoundFile::open(const std::string& name, const std::string& soundsDir, AudioCodec codec,
                                           std::string& error) {
  if (name.empty()) {
    error = "empty sound file name";
    return nullptr;
  }
  const std::string base = name[0] == '/' || soundsDir.empty() ? name : soundsDir + "/" + name;
  static const struct {
    const char* extension;
    SoundFormat format;
  } kKnown[] = {{".ulaw", SoundFormat::Ulaw}, {".alaw", SoundFormat::Alaw}, {".sln", SoundFormat::Slin},
                {".wav", SoundFormat::Wav}};
  for (const auto& known : kKnown) {
    if (endsWith(base, known.extension) && isFile(base)) return openPath(base, known.format, error);
  }
  // The codec's own law first: copying G.711 bytes keeps the file bit-exact on the wire.
  const SoundFormat ulawFirst[] = {SoundFormat::Ulaw, SoundFormat::Alaw, SoundFormat::Slin, SoundFormat::Wav};
  const SoundFormat alawFirst[] = {SoundFormat::Alaw, SoundFormat::Ulaw, SoundFormat::Slin, SoundFormat::Wav};
  for (SoundFormat format : codec == AudioCodec::Pcma ? alawFirst : ulawFirst) {
    const std::string path = base + kKnown[static_cast<int>(format)].extension;
    if (isFile(path)) return openPath(path, format, error);
  }
  error = "sound file not found: " + name;
  return nullptr;
}

size_t SoundFile::read(uint8_t* out, size_t count, AudioCodec codec) {
  const bool linear = format_ == SoundFormat::Slin || format_ == SoundFormat::Wav;
  size_t bytesWanted = count * (linear ? 2 : 1);
  if (remaining_ >= 0 && static_cast<long>(bytesWanted) > remaining_) bytesWanted = static_cast<size_t>(remaining_);
  if (!linear) {
    const size_t got = std::fread(out, 1, bytesWanted, file_);
    if (remaining_ >= 0) remaining_ -= static_cast<long>(got);
    const AudioCodec fileLaw = format_ == SoundFormat::Ulaw ? AudioCodec::Pcmu : AudioCodec::Pcma;
    if (fileLaw != codec) transcodeG711(out, out, got, fileLaw, codec);
    return got;
  }
  int16_t samples[kMaxPacketSize];
  if (bytesWanted > sizeof(samples)) bytesWanted = sizeof(samples);
  uint8_t raw[sizeof(samples)];
  const size_t got = std::fread(raw, 1, bytesWanted, file_) / 2;
  if (remaining_ >= 0) remaining_ -= static_cast<long>(got * 2);
  for (size_t i = 0; i < got; ++i) samples[i] = static_cast<int16_t>(littleU16(raw + 2 * i));
  encodeG711(samples, out, got, codec);
  return got;
}

}  // namespace tandem
