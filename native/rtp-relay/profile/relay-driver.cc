// Profiling driver: the relay engine without Node, fed by a lock-step generator so that a
// profiler (callgrind) sees the same work on every run: CALLS relayed calls set up as the
// media bench sets them up, then ROUNDS rounds in which every phone sends one RTP packet to its
// relay port and the round ends when every relayed packet has arrived. Each socket read then
// finds exactly one packet, as at 50 pps per port. Prints the packets relayed. Bounded.
//
// usage: relay-driver CALLS ROUNDS [TICK_US]
#include <arpa/inet.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../src/engine.h"

namespace {

int openPhone(const char* host, uint16_t port) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  inet_pton(AF_INET, host, &address.sin_addr);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) return -1;
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: relay-driver CALLS ROUNDS [TICK_US]\n");
    return 2;
  }
  rlimit limit;
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  const int calls = std::atoi(argv[1]);
  const int rounds = std::atoi(argv[2]);
  tandem::EngineOptions options;
  options.portStart = 20000;
  options.portEnd = 39999;
  options.threads = 1;
  if (argc > 3) options.pollTickNs = std::atoll(argv[3]) * 1000;
  tandem::Engine engine(options);
  tandem::Result result = engine.start();
  if (!result.ok()) {
    std::fprintf(stderr, "start: %s\n", result.message.c_str());
    return 1;
  }
  // Not the media bench's addresses: a profile may run beside a bench.
  const char* relayHost = "127.0.3.250";
  const char* phoneHosts[2] = {"127.0.3.251", "127.0.3.252"};
  tandem::CodecSettings codec;  // PCMU, 8 kHz, 20 ms
  std::vector<uint32_t> ids;
  std::vector<int> phones;
  std::vector<sockaddr_in> relayPorts;
  for (int call = 0; call < calls; ++call) {
    uint32_t id[2];
    for (int side = 0; side < 2; ++side) {
      uint16_t port;
      result = engine.allocate(relayHost, side == 0 ? 0 : id[0], id[side], port);
      const uint16_t phonePort = static_cast<uint16_t>(20000 + call);
      const int phone = openPhone(phoneHosts[side], phonePort);
      if (!result.ok() || phone < 0) {
        std::fprintf(stderr, "allocate/bind: %s\n", result.ok() ? std::strerror(errno) : result.message.c_str());
        return 1;
      }
      engine.setRemote(id[side], phoneHosts[side], phonePort, -1, false);
      engine.setCodec(id[side], codec);
      ids.push_back(id[side]);
      phones.push_back(phone);
      sockaddr_in relay{};
      relay.sin_family = AF_INET;
      relay.sin_port = htons(port);
      inet_pton(AF_INET, relayHost, &relay.sin_addr);
      relayPorts.push_back(relay);
    }
    engine.connect(id[0], id[1]);
  }
  // Commands reach the workers at the JS loop's turn in the addon; here, once, now.
  engine.wakeWorkers();
  std::vector<pollfd> waits(phones.size());
  for (size_t i = 0; i < phones.size(); ++i) waits[i] = {phones[i], POLLIN, 0};
  uint8_t packet[172];
  std::memset(packet, 0xff, sizeof(packet));
  uint8_t incoming[2048];
  for (int round = 0; round < rounds; ++round) {
    for (size_t i = 0; i < phones.size(); ++i) {
      packet[0] = 0x80;
      packet[1] = 0;
      tandem::writeU16(packet + 2, static_cast<uint16_t>(round));
      tandem::writeU32(packet + 4, static_cast<uint32_t>(round) * 160);
      tandem::writeU32(packet + 8, 0x10000000u + static_cast<uint32_t>(i));
      sendto(phones[i], packet, sizeof(packet), 0, reinterpret_cast<sockaddr*>(&relayPorts[i]), sizeof(relayPorts[i]));
    }
    // Every phone gets its peer's packet back; a round stalls at most a second (then gives up).
    size_t received = 0;
    while (received < phones.size()) {
      if (poll(waits.data(), waits.size(), 1000) <= 0) break;
      for (pollfd& wait : waits) {
        if ((wait.revents & POLLIN) == 0) continue;
        while (recv(wait.fd, incoming, sizeof(incoming), MSG_DONTWAIT) > 0) ++received;
      }
    }
  }
  uint64_t relayed = 0;
  for (uint32_t id : ids) {
    tandem::EndpointStats stats;
    if (engine.stats(id, stats).ok()) relayed += stats.txPackets;
  }
  engine.close();
  for (int phone : phones) close(phone);
  std::printf("relayed %llu\n", static_cast<unsigned long long>(relayed));
  return 0;
}
