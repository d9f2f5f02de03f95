#!/usr/bin/env bash
# Instruction and cache-line counts of the relay's packet path, repeatable under other load:
# builds relay-driver.cc (the engine without Node, fed in lock step: one packet per socket per
# round) and runs it under callgrind, then prints per relayed packet: instructions of the I/O
# thread, of the packet path alone (Worker::drainSocket and below) and its D1 misses. The
# simulated D1 is small (4 KiB) so an endpoint's lines are cold again by its next packet, as
# the kernel's own traffic makes them on a real machine. Bounded (under a minute at the
# defaults). Binds 127.0.3.250-252 (not the media bench's addresses), ports 20000-39999.
#
# usage: profile/callgrind-relay.sh [CALLS=200] [ROUNDS=200] [TICK_US=200]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/.."
calls="${1:-200}"
rounds="${2:-200}"
tick="${3:-200}"
out="$root/build/profile"
mkdir -p "$out"
sources=()
# Everything but the Node glue (Node-API and libuv).
for file in "$root"/src/*.cc; do
  case "$(basename "$file")" in addon.cc | loop-wake.cc) ;; *) sources+=("$file") ;; esac
done
# The addon's code generation (binding.gyp plus node-gyp's -fPIC etc.); PROFILE_CXXFLAGS to compare.
flags="${PROFILE_CXXFLAGS:--O3 -fno-semantic-interposition -fPIC -fno-omit-frame-pointer -fno-rtti}"
# shellcheck disable=SC2086
c++ -std=c++17 $flags -g -Wall -Wextra -o "$out/relay-driver" "$here/relay-driver.cc" "${sources[@]}" -lpthread

valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" --collect-atstart=no \
  --toggle-collect='tandem::Worker::run()' --cache-sim=yes --D1=4096,4,64 --LL=1048576,16,64 \
  "$out/relay-driver" "$calls" "$rounds" "$tick" >"$out/driver.log" 2>"$out/valgrind.log"
relayed="$(sed -n 's/^relayed //p' "$out/driver.log")"
callgrind_annotate --inclusive=yes --show=Ir,D1mr,D1mw --show-percs=no "$out/callgrind.out" 2>/dev/null |
  python3 -c '
import sys
relayed = int(sys.argv[1])
total = path = None
for line in sys.stdin:
    fields = line.split()
    try:
        counts = [int(f.replace(",", "").replace(".", "0")) for f in fields[:3]]
    except ValueError:
        continue
    if "PROGRAM TOTALS" in line:
        total = counts
    elif path is None and "Worker::drainSocket(unsigned long) [" in line:
        path = counts
print(f"relayed {relayed} packets ({sys.argv[2]} calls, {sys.argv[3]} us tick)")
print(f"I/O thread: {total[0] / relayed:.0f} instructions, "
      f"{(total[1] + total[2]) / relayed:.2f} D1 misses per relayed packet")
if path is not None:  # not when the compiler inlined it into Worker::run
    print(f"packet path (drainSocket and below): {path[0] / relayed:.0f} instructions, "
          f"{(path[1] + path[2]) / relayed:.2f} D1 misses per relayed packet")
' "$relayed" "$calls" "$tick"
