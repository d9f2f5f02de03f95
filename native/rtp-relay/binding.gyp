{
  "targets": [
    {
      "target_name": "tandem_rtp",
      "sources": [
        "src/addon.cc",
        "src/engine.cc",
        "src/loop-wake.cc",
        "src/endpoint.cc",
        "src/worker.cc",
        "src/port-pool.cc",
        "src/socket-address.cc",
        "src/remote-connection.cc",
        "src/rtp-receive-stats.cc",
        "src/rtcp.cc",
        "src/g711.cc",
        "src/media-session.cc",
        "src/tone-generator.cc",
        "src/sound-file.cc",
        "src/wav-writer.cc",
        "src/dtmf.cc",
        "src/jitter-buffer.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_DISABLE_CPP_EXCEPTIONS"
      ],
      # -O3 and no semantic interposition: in a -fPIC shared object GCC otherwise may not inline
      # one exported function into another, and the packet path is a chain of small calls
      # (callgrind, `pnpm run profile`: 524 -> 411 instructions per relayed packet).
      "cflags_cc": [
        "-std=c++17",
        "-O3",
        "-fno-semantic-interposition",
        "-Wall",
        "-Wextra"
      ],
      "cflags_cc!": [
        "-fno-exceptions",
        "-std=gnu++1y",
        "-std=gnu++17"
      ]
    }
  ]
}
