// Tandem media benchmark: the RTP load generator. Each call is two phones (UDP sockets) that
// send 172-byte RTP packets at 50 pps to their relay port, paced evenly over every 20 ms, with
// the send time in the payload; the kernel receive time (SO_TIMESTAMPNS) of what comes back
// through the relay gives the latency. Bounded: stops after warmup + measure + drain.
//
// usage: loadgen CONFIG WARMUP_MS MEASURE_MS
// CONFIG: first line "relayHost phoneHostA phoneHostB", then per call
//         "relayPortA relayPortB phonePortA phonePortB". Prints one JSON line.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "recv-batch.h"

#define PACKET 172
#define INTERVAL_NS 20000000LL
#define HIST_US 100000
#define TICK_NS 200000LL /* the generator's own wake-up spacing */ /* latency histogram: 1 µs buckets up to 100 ms */

typedef struct {
  int fd;
  struct sockaddr_in relay;
  uint32_t ssrc;
  uint16_t seq;
  uint32_t ts;
} Phone;

static int64_t now_ns(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int open_phone(const char* host, int port) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  int on = 1, size = 1 << 20;
  setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, host, &a.sin_addr);
  if (bind(fd, (struct sockaddr*)&a, sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: loadgen CONFIG WARMUP_MS MEASURE_MS\n");
    return 2;
  }
  struct rlimit limit = {65536, 65536};
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  FILE* config = fopen(argv[1], "r");
  if (!config) {
    perror("config");
    return 2;
  }
  char relayHost[64], hostA[64], hostB[64];
  if (fscanf(config, "%63s %63s %63s", relayHost, hostA, hostB) != 3) return 2;
  int capacity = 1024, calls = 0;
  Phone* phones = malloc(sizeof(Phone) * 2 * capacity);
  int ra, rb, pa, pb;
  while (fscanf(config, "%d %d %d %d", &ra, &rb, &pa, &pb) == 4) {
    if (calls == capacity) {
      capacity *= 2;
      phones = realloc(phones, sizeof(Phone) * 2 * capacity);
    }
    int ports[2][2] = {{pa, ra}, {pb, rb}};
    const char* hosts[2] = {hostA, hostB};
    for (int side = 0; side < 2; ++side) {
      Phone* p = &phones[2 * calls + side];
      p->fd = open_phone(hosts[side], ports[side][0]);
      if (p->fd < 0) {
        fprintf(stderr, "bind %s:%d: %s\n", hosts[side], ports[side][0], strerror(errno));
        return 1;
      }
      memset(&p->relay, 0, sizeof p->relay);
      p->relay.sin_family = AF_INET;
      p->relay.sin_port = htons(ports[side][1]);
      inet_pton(AF_INET, relayHost, &p->relay.sin_addr);
      p->ssrc = 0x10000000u + 2 * calls + side;
      p->seq = 0;
      p->ts = 0;
    }
    ++calls;
  }
  fclose(config);
  const int count = 2 * calls;
  int ep = epoll_create1(0);
  for (int i = 0; i < count; ++i) {
    struct epoll_event e = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
    epoll_ctl(ep, EPOLL_CTL_ADD, phones[i].fd, &e);
  }
  const int64_t warmup = atoll(argv[2]) * 1000000LL, measure = atoll(argv[3]) * 1000000LL;
  const int64_t start = now_ns(CLOCK_MONOTONIC) + 50000000LL;
  const int64_t measureFrom = start + warmup, measureTo = measureFrom + measure, drainTo = measureTo + 300000000LL;
  const int64_t wallOffset = now_ns(CLOCK_REALTIME) - now_ns(CLOCK_MONOTONIC);
  uint32_t* histogram = calloc(HIST_US + 1, sizeof(uint32_t));
  uint64_t sent = 0, received = 0, strays = 0;
  double latencySum = 0;
  int64_t round = 0;
  int64_t lastWake = 0;
  int cursor = 0;
  uint8_t packet[PACKET];
  memset(packet, 0xff, sizeof packet);
  enum { BATCH = 8 };
  uint8_t buffers[BATCH][256];
  char controls[BATCH][64];
  struct epoll_event ready[512];
  for (;;) {
    int64_t now = now_ns(CLOCK_MONOTONIC);
    if (now >= drainTo) break;
    // Sends due by now: phone i sends at start + round * 20 ms + i * 20 ms / count. At most 64
    // per pass, so receiving keeps up even when sending runs late.
    for (int burst = 0; now < measureTo && burst < 64; ++burst) {
      int64_t due = start + round * INTERVAL_NS + (INTERVAL_NS * cursor) / count;
      if (due > now) break;
      Phone* p = &phones[cursor];
      packet[0] = 0x80;
      packet[1] = 0;
      packet[2] = p->seq >> 8;
      packet[3] = p->seq & 0xff;
      packet[4] = p->ts >> 24; packet[5] = p->ts >> 16; packet[6] = p->ts >> 8; packet[7] = p->ts;
      packet[8] = p->ssrc >> 24; packet[9] = p->ssrc >> 16; packet[10] = p->ssrc >> 8; packet[11] = p->ssrc;
      int64_t stamp = now_ns(CLOCK_REALTIME);
      memcpy(packet + 12, &stamp, 8);
      if (sendto(p->fd, packet, PACKET, 0, (struct sockaddr*)&p->relay, sizeof p->relay) == PACKET) {
        int64_t mono = stamp - wallOffset;
        if (mono >= measureFrom && mono < measureTo) ++sent;
      }
      p->seq++;
      p->ts += 160;
      if (++cursor == count) {
        cursor = 0;
        ++round;
      }
    }
    int64_t next = now < measureTo ? start + round * INTERVAL_NS + (INTERVAL_NS * cursor) / count : drainTo;
    // The generator itself wakes at most every TICK_NS (sends due meanwhile go out together,
    // still spread evenly at that granularity), so it leaves the relay its share of the CPU.
    if (next < lastWake + TICK_NS) next = lastWake + TICK_NS;
    if (next < now) next = now;
    int64_t wait = next - now_ns(CLOCK_MONOTONIC);
    struct timespec timeout = {wait > 0 ? wait / 1000000000LL : 0, wait > 0 ? wait % 1000000000LL : 0};
    int n = epoll_pwait2(ep, ready, 512, &timeout, NULL);
    lastWake = now_ns(CLOCK_MONOTONIC);
    for (int k = 0; k < n; ++k) {
      Phone* p = &phones[ready[k].data.u32];
      struct mmsghdr messages[BATCH];
      struct iovec vectors[BATCH];
      prepare_batch(messages, vectors, BATCH, buffers, sizeof buffers[0], controls, sizeof controls[0]);
      int got = recvmmsg(p->fd, messages, BATCH, MSG_DONTWAIT, NULL);
      for (int b = 0; b < got; ++b) {
        if (messages[b].msg_len != PACKET) {
          ++strays;
          continue;
        }
        int64_t sentAt;
        memcpy(&sentAt, buffers[b] + 12, 8);
        int64_t mono = sentAt - wallOffset;
        if (mono < measureFrom || mono >= measureTo) continue;
        int64_t arrival = 0;
        for (struct cmsghdr* c = CMSG_FIRSTHDR(&messages[b].msg_hdr); c; c = CMSG_NXTHDR(&messages[b].msg_hdr, c)) {
          if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec t;
            memcpy(&t, CMSG_DATA(c), sizeof t);
            arrival = (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
          }
        }
        if (!arrival) arrival = now_ns(CLOCK_REALTIME);
        int64_t us = (arrival - sentAt) / 1000;
        if (us < 0) us = 0;
        histogram[us > HIST_US ? HIST_US : us]++;
        latencySum += (double)(arrival - sentAt) / 1000.0;
        ++received;
      }
    }
  }
  uint64_t target50 = received / 2, target99 = received - received / 100, seen = 0;
  int p50 = -1, p99 = -1, max = 0;
  for (int us = 0; us <= HIST_US; ++us) {
    if (!histogram[us]) continue;
    seen += histogram[us];
    if (p50 < 0 && seen >= target50) p50 = us;
    if (p99 < 0 && seen >= target99) p99 = us;
    max = us;
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  double cpuSeconds = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  double loss = sent ? 1.0 - (double)received / (double)sent : 1.0;
  if (loss < 0) loss = 0;
  printf("{\"calls\":%d,\"sent\":%llu,\"received\":%llu,\"loss\":%.6f,\"p50Us\":%d,\"p99Us\":%d,\"maxUs\":%d,"
         "\"meanUs\":%.1f,\"strays\":%llu,\"generatorCpuShare\":%.3f}\n",
         calls, (unsigned long long)sent, (unsigned long long)received, loss, p50, p99, max,
         received ? latencySum / received : 0.0, (unsigned long long)strays,
         cpuSeconds / ((double)(now_ns(CLOCK_MONOTONIC) - start + 50000000LL) / 1e9));
  return 0;
}
