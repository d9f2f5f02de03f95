// Shared by the bench's C programs: an array of recvmmsg headers over fixed buffers.
#pragma once
#include <string.h>
#include <sys/socket.h>

static inline void prepare_batch(struct mmsghdr* messages, struct iovec* vectors, int count, void* buffers,
                                 size_t bufferSize, void* controls, size_t controlSize) {
  for (int b = 0; b < count; ++b) {
    vectors[b].iov_base = (char*)buffers + b * bufferSize;
    vectors[b].iov_len = bufferSize;
    memset(&messages[b].msg_hdr, 0, sizeof messages[b].msg_hdr);
    messages[b].msg_hdr.msg_iov = &vectors[b];
    messages[b].msg_hdr.msg_iovlen = 1;
    if (controls) {
      messages[b].msg_hdr.msg_control = (char*)controls + b * controlSize;
      messages[b].msg_hdr.msg_controllen = controlSize;
    }
  }
}
