// A UDP socket address (IPv4 or IPv6) with the comparisons latching needs. Compact (a union of
// the two families, not sockaddr_storage): endpoints hold several and the packet path reads them.
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace tandem {

struct SocketAddress {
  union {
    sockaddr any;
    sockaddr_in v4;
    sockaddr_in6 v6;
  } storage{};
  socklen_t length = 0;

  bool valid() const { return length != 0; }
  void clear() { length = 0; }
  int family() const { return storage.any.sa_family; }
  const sockaddr* raw() const { return &storage.any; }

  /** Parses a numeric IPv4/IPv6 address; false when `host` is not one. */
  static bool parse(const std::string& host, uint16_t port, SocketAddress& out);

  /** Same IP and port. */
  bool sameEndpoint(const SocketAddress& other) const {
    if (length != other.length || !valid()) return false;
    if (family() == AF_INET) {
      // sockaddr_in opens with family, port and address: one 8-byte comparison (packet path).
      uint64_t mine;
      uint64_t theirs;
      std::memcpy(&mine, &storage.v4, sizeof(mine));
      std::memcpy(&theirs, &other.storage.v4, sizeof(theirs));
      return mine == theirs;
    }
    return family() == other.family() && storage.v6.sin6_port == other.storage.v6.sin6_port && sameHost(other);
  }
  /** The wildcard address (0.0.0.0 or ::), as bound to hear every local address. */
  bool isUnspecified() const;
  /** Same IP, any port. */
  bool sameHost(const SocketAddress& other) const;
  uint16_t port() const;
  void setPort(uint16_t port);
  std::string host() const;
};

}  // namespace tandem
