#include "remote-connection.h"

#include <netinet/in.h>

#include <cstring>

namespace tandem {

void reportPacketDestinations(int fd, int family) {
  const int on = 1;
  if (family == AF_INET6) {
    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
  } else {
    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
  }
}

bool packetDestination(const msghdr& header, SocketAddress& destination) {
  for (cmsghdr* cmsg = CMSG_FIRSTHDR(&header); cmsg != nullptr;
       cmsg = CMSG_NXTHDR(const_cast<msghdr*>(&header), cmsg)) {
    if (cmsg->cmsg_level == IPPROTO_IP && cmsg->cmsg_type == IP_PKTINFO) {
      in_pktinfo info;
      std::memcpy(&info, CMSG_DATA(cmsg), sizeof(info));
      destination = SocketAddress{};
      destination.storage.v4.sin_family = AF_INET;
      destination.storage.v4.sin_addr = info.ipi_addr;
      destination.length = sizeof(sockaddr_in);
      return true;
    }
    if (cmsg->cmsg_level == IPPROTO_IPV6 && cmsg->cmsg_type == IPV6_PKTINFO) {
      in6_pktinfo info;
      std::memcpy(&info, CMSG_DATA(cmsg), sizeof(info));
      destination = SocketAddress{};
      destination.storage.v6.sin6_family = AF_INET6;
      destination.storage.v6.sin6_addr = info.ipi6_addr;
      destination.length = sizeof(sockaddr_in6);
      return true;
    }
  }
  return false;
}

bool connectRemote(int fd, const SocketAddress& remote, const SocketAddress& arrivedAt) {
  if (connect(fd, remote.raw(), remote.length) != 0) return false;
  if (!arrivedAt.valid()) return true;
  SocketAddress chosen;
  chosen.length = sizeof(chosen.storage);
  if (getsockname(fd, &chosen.storage.any, &chosen.length) == 0 && chosen.sameHost(arrivedAt)) return true;
  disconnectRemote(fd);
  return false;
}

void disconnectRemote(int fd) {
  sockaddr unspecified{};
  unspecified.sa_family = AF_UNSPEC;
  connect(fd, &unspecified, sizeof(unspecified));
}

}  // namespace tandem
