import { availableParallelism } from 'node:os';

import type { EngineContext } from './internal/engine-context.js';
import { unwrapNative } from './internal/native-result.js';
import { MediaEndpoint } from './media-endpoint.js';
import { MediaError } from './media-error.js';
import type { MediaEngineOptions } from './media-types.js';
import { nativeModule } from './native-binding.js';
import type { NativeEngine, NativeEvent } from './native-binding.js';
import { bundledSoundsDir } from './sounds-dir.js';

/**
 * The native media engine: the RTP port pool and the I/O threads that relay and generate
 * media. No packet ever enters JavaScript; events (DTMF, timeouts, completions) come back in
 * batches.
 */
export class MediaEngine {
  readonly #native: NativeEngine;
  readonly #endpoints = new Map<number, MediaEndpoint>();
  readonly #context: EngineContext;
  #holds = 0;
  #closed = false;

  private constructor(native: NativeEngine, soundsDir: string, endpoints: Map<number, MediaEndpoint>) {
    this.#native = native;
    this.#endpoints = endpoints;
    this.#context = {
      native,
      soundsDir,
      holdOpen: () => {
        if (this.#holds++ === 0) native.ref();
      },
      letClose: () => {
        if (--this.#holds === 0) native.unref();
      },
      forget: (id) => {
        this.#endpoints.delete(id);
      },
    };
  }

  /** Starts the engine over rtp.conf's port range. Throws `MediaError` ('bad-argument', 'io'). */
  static open(options: MediaEngineOptions): MediaEngine {
    const { portStart, portEnd } = options;
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(portStart) || !Number.isInteger(portEnd) || portStart < 1 || portEnd > 65535 || portStart > portEnd) {
      throw new MediaError('bad-argument', `invalid RTP port range ${portStart}-${portEnd}`);
    }
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
      throw new MediaError('bad-argument', `threads must be 1..64, got ${threads}`);
    }
    const endpointsPerThread = options.endpointsPerThread ?? 2048;
    if (!Number.isInteger(endpointsPerThread) || endpointsPerThread < 1) {
      throw new MediaError('bad-argument', `endpointsPerThread must be a positive integer, got ${endpointsPerThread}`);
    }
    const endpoints = new Map<number, MediaEndpoint>();
    const soundsDir = options.soundsDir ?? bundledSoundsDir;
    const dispatch = (events: NativeEvent[]): void => {
      for (const event of events) {
        try {
          endpoints.get(event.id)?.handleNativeEvent(event);
        } catch (error) {
          // A throwing listener must not cost the rest of the batch: rethrow it on its own.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    };
    const native = unwrapNative(
      nativeModule.open(
        {
          portStart,
          portEnd,
          threads,
          pollTickUs: options.pollTickUs ?? 200,
          relatchSilenceMs: options.relatchSilenceMs ?? 2000,
          endpointsPerThread,
          soundsDir,
        },
        dispatch,
      ),
    );
    return new MediaEngine(native, soundsDir, endpoints);
  }

  /**
   * Binds a fresh RTP (even) + RTCP (odd) port pair on `localAddress`. With `near` (the other
   * leg of the same call) the endpoint is served by the same I/O thread, so connecting the two
   * later needs no hand-over between threads. Throws `MediaError` 'no-ports' when the range is
   * exhausted, 'bind-failed' when the address can't be bound.
   */
  allocate(options: { localAddress: string; near?: MediaEndpoint }): MediaEndpoint {
    if (this.#closed) throw new MediaError('closed', 'the media engine is closed');
    const allocation = unwrapNative(this.#native.allocate(options.localAddress, options.near?.nativeId ?? 0));
    const endpoint = new MediaEndpoint(this.#context, allocation.id, options.localAddress, allocation.rtpPort, allocation.rtcpPort);
    this.#endpoints.set(allocation.id, endpoint);
    return endpoint;
  }

  /** RTP port pairs currently bound. */
  get portsInUse(): number {
    return this.#native.portsInUse();
  }

  /** Events dropped because JavaScript did not drain the queue in time (should stay 0). */
  get droppedEvents(): number {
    return this.#native.info().droppedEvents;
  }

  /** Stops the I/O threads and closes every socket; pending operations complete as 'stopped'. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#native.close();
    for (const endpoint of [...this.#endpoints.values()]) endpoint.release();
    this.#endpoints.clear();
  }
}
