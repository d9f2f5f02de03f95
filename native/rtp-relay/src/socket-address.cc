#include "socket-address.h"

#include <arpa/inet.h>

namespace tandem {

bool SocketAddress::parse(const std::string& host, uint16_t port, SocketAddress& out) {
  out = SocketAddress{};
  if (inet_pton(AF_INET, host.c_str(), &out.storage.v4.sin_addr) == 1) {
    out.storage.v4.sin_family = AF_INET;
    out.storage.v4.sin_port = htons(port);
    out.length = sizeof(sockaddr_in);
    return true;
  }
  out = SocketAddress{};
  if (inet_pton(AF_INET6, host.c_str(), &out.storage.v6.sin6_addr) == 1) {
    out.storage.v6.sin6_family = AF_INET6;
    out.storage.v6.sin6_port = htons(port);
    out.length = sizeof(sockaddr_in6);
    return true;
  }
  out.length = 0;
  return false;
}

bool SocketAddress::sameHost(const SocketAddress& other) const {
  if (!valid() || !other.valid() || family() != other.family()) return false;
  if (family() == AF_INET) return storage.v4.sin_addr.s_addr == other.storage.v4.sin_addr.s_addr;
  return std::memcmp(&storage.v6.sin6_addr, &other.storage.v6.sin6_addr, sizeof(in6_addr)) == 0;
}

bool SocketAddress::isUnspecified() const {
  if (family() == AF_INET) return storage.v4.sin_addr.s_addr == htonl(INADDR_ANY);
  if (family() == AF_INET6) return IN6_IS_ADDR_UNSPECIFIED(&storage.v6.sin6_addr);
  return false;
}

uint16_t SocketAddress::port() const {
  if (family() == AF_INET) return ntohs(storage.v4.sin_port);
  if (family() == AF_INET6) return ntohs(storage.v6.sin6_port);
  return 0;
}

void SocketAddress::setPort(uint16_t port) {
  if (family() == AF_INET) storage.v4.sin_port = htons(port);
  if (family() == AF_INET6) storage.v6.sin6_port = htons(port);
}

std::string SocketAddress::host() const {
  char text[INET6_ADDRSTRLEN] = {0};
  if (family() == AF_INET) inet_ntop(AF_INET, &storage.v4.sin_addr, text, sizeof(text));
  if (family() == AF_INET6) inet_ntop(AF_INET6, &storage.v6.sin6_addr, text, sizeof(text));
  return text;
}

}  // namespace tandem
