// A UDP socket address (IPv4 or IPv6) with the comparisons latching needs.
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace tandem {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  bool valid() const { return length != 0; }
  void clear() { length = 0; }
  int family() const { return storage.ss_family; }
  const sockaddr* raw() const { return reinterpret_cast<const sockaddr*>(&storage); }

  /** Parses a numeric IPv4/IPv6 address; false when `host` is not one. */
  static bool parse(const std::string& host, uint16_t port, SocketAddress& out);

  /** Same IP and port. */
  bool sameEndpoint(const SocketAddress& other) const;
  /** Same IP, any port. */
  bool sameHost(const SocketAddress& other) const;
  uint16_t port() const;
  void setPort(uint16_t port);
  std::string host() const;
};

}  // namespace tandem
