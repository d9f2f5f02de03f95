// Tandem media benchmark: the machine's limit, a minimal C epoll relay. Each call is two UDP
// ports; whatever arrives on one goes out of the other to the fixed phone address. Optional
// poll tick: while packets are dense, wake-ups are spaced TICK_US apart (the same rule as
// Tandem's I/O threads); 0 wakes per readiness. Optionally each socket is connected to its
// phone, as Tandem's relay does once a party sends from its signalled address: the kernel
// then skips a route lookup per send and demultiplexes receives early.
//
// usage: limit-relay CONFIG TICK_US [CONNECT]   (CONFIG as for loadgen; CONNECT 1 connects).
// Runs until killed.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "recv-batch.h"

typedef struct {
  int fd;
  int peer;                 // index of the other leg
  struct sockaddr_in phone; // where this leg's party is
} Leg;

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int bind_udp(const char* host, int port) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, host, &a.sin_addr);
  if (fd < 0 || bind(fd, (struct sockaddr*)&a, sizeof a) != 0) return -1;
  return fd;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: limit-relay CONFIG TICK_US\n");
    return 2;
  }
  struct rlimit limit;
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
  FILE* config = fopen(argv[1], "r");
  if (!config) return 2;
  char relayHost[64], hostA[64], hostB[64];
  if (fscanf(config, "%63s %63s %63s", relayHost, hostA, hostB) != 3) return 2;
  int capacity = 1024, legs = 0;
  Leg* leg = malloc(sizeof(Leg) * 2 * capacity);
  int ra, rb, pa, pb;
  while (fscanf(config, "%d %d %d %d", &ra, &rb, &pa, &pb) == 4) {
    if (legs + 2 > 2 * capacity) {
      capacity *= 2;
      leg = realloc(leg, sizeof(Leg) * 2 * capacity);
    }
    int relayPorts[2] = {ra, rb}, phonePorts[2] = {pa, pb};
    const char* hosts[2] = {hostA, hostB};
    for (int side = 0; side < 2; ++side) {
      Leg* l = &leg[legs + side];
      l->fd = bind_udp(relayHost, relayPorts[side]);
      if (l->fd < 0) {
        fprintf(stderr, "bind %s:%d: %s\n", relayHost, relayPorts[side], strerror(errno));
        return 1;
      }
      l->peer = legs + (1 - side);
      memset(&l->phone, 0, sizeof l->phone);
      l->phone.sin_family = AF_INET;
      l->phone.sin_port = htons(phonePorts[side]);
      inet_pton(AF_INET, hosts[side], &l->phone.sin_addr);
    }
    legs += 2;
  }
  fclose(config);
  const int64_t tick = atoll(argv[2]) * 1000LL;
  const int connected = argc > 3 && atoi(argv[3]) == 1;
  for (int i = 0; connected && i < legs; ++i) {
    if (connect(leg[i].fd, (struct sockaddr*)&leg[i].phone, sizeof leg[i].phone) != 0) {
      fprintf(stderr, "connect: %s\n", strerror(errno));
      return 1;
    }
  }
  int ep = epoll_create1(0);
  for (int i = 0; i < legs; ++i) {
    struct epoll_event e = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
    epoll_ctl(ep, EPOLL_CTL_ADD, leg[i].fd, &e);
  }
  printf("ready\n");
  fflush(stdout);
  enum { BATCH = 4 };
  uint8_t buffers[BATCH][2048];
  struct epoll_event ready[256];
  for (;;) {
    int64_t before = now_ns();
    int n = epoll_wait(ep, ready, 256, -1);
    int64_t woke = now_ns();
    for (int k = 0; k < n; ++k) {
      Leg* from = &leg[ready[k].data.u32];
      Leg* to = &leg[from->peer];
      struct mmsghdr messages[BATCH];
      struct iovec vectors[BATCH];
      prepare_batch(messages, vectors, BATCH, buffers, sizeof buffers[0], NULL, 0);
      int got = recvmmsg(from->fd, messages, BATCH, MSG_DONTWAIT, NULL);
      for (int b = 0; b < got; ++b) {
        if (connected) {
          send(to->fd, buffers[b], messages[b].msg_len, MSG_DONTWAIT);
        } else {
          sendto(to->fd, buffers[b], messages[b].msg_len, MSG_DONTWAIT, (struct sockaddr*)&to->phone, sizeof to->phone);
        }
      }
    }
    if (tick > 0 && n > 0 && woke - before < tick) {
      int64_t left = woke + tick - now_ns();
      if (left > 0) {
        struct timespec pause = {left / 1000000000LL, left % 1000000000LL};
        nanosleep(&pause, NULL);
      }
    }
  }
}
