// The packet path's two system calls, made directly. glibc's sendto()/recvmmsg() are thread
// cancellation points: each call switches asynchronous cancellation on and off around the
// system call, which callgrind counts at ~50 instructions per call, about a quarter of the
// relay's own work per packet. I/O threads are never cancelled, so syscall(2) is equivalent.
#pragma once
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>


namespace tandem {

/**
 * sendto(2) without the cancellation wrapper: bytes sent, or -1 with errno set. `to` null
 * (length 0) sends to the address a connected socket is connected to.
 */
inline ssize_t sendDatagram(int fd, const void* data, size_t length, const sockaddr* to, socklen_t toLength) {
  return syscall(SYS_sendto, fd, data, length, MSG_DONTWAIT, to, toLength);
}

/** recvmmsg(2) without the cancellation wrapper (non-blocking, no timeout). */
inline int receiveDatagrams(int fd, mmsghdr* messages, unsigned count) {
  return static_cast<int>(syscall(SYS_recvmmsg, fd, messages, count, MSG_DONTWAIT, nullptr));
}

}  // namespace tandem
