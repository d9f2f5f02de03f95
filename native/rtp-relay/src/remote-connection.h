// Connecting an RTP socket to the one party it exchanges media with. A connected UDP socket
// spares the kernel the route lookup of every send and lets it demultiplex every receive early
// (about 9 % less relay CPU per packet, measured on the media bench's C relay), but the kernel
// then drops datagrams from any other source. The endpoint therefore connects only where
// latching would refuse those anyway (endpoint.cc says when) and disconnects before the latch
// may move.
#pragma once
#include <sys/socket.h>

#include "socket-address.h"

namespace tandem {

/**
 * Asks the kernel to report the local address each datagram was sent to (IP_PKTINFO /
 * IPV6_RECVPKTINFO): a wildcard-bound socket needs it to check a connect (see connectRemote).
 */
void reportPacketDestinations(int fd, int family);

/**
 * The local address a received datagram was sent to, from its PKTINFO control message;
 * false when the datagram carries none.
 */
bool packetDestination(const msghdr& header, SocketAddress& destination);

/**
 * Connects `fd` to `remote`. A socket bound to a wildcard address also takes the local address
 * the kernel routes from toward `remote`; when that is not `arrivedAt` (the address the party
 * sends to, on a multi-homed host), the party's datagrams would no longer reach the socket, so
 * the connection is undone and false returned. Pass an invalid `arrivedAt` for a socket bound
 * to a specific address.
 */
bool connectRemote(int fd, const SocketAddress& remote, const SocketAddress& arrivedAt);

/** Dissolves the connection (AF_UNSPEC): any source reaches the socket again. */
void disconnectRemote(int fd);

}  // namespace tandem
