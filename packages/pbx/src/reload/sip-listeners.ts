import type { ConfDocument, Diagnostic } from '@tandem/config';
import type { ListenerInfo, ListenOptions, SipEndpoint } from '@tandem/sip';

/** What the listeners are opened and closed on (a `SipEndpoint`). */
export type ListenerEndpoint = Pick<SipEndpoint, 'listen' | 'closeListener'>;

/** A listener the PBX opened, with the options it was opened with. */
interface OpenListener {
  readonly key: string;
  readonly options: ListenOptions;
  readonly info: ListenerInfo;
}

/** What moving the listeners did. */
export interface ListenerMove {
  /** `udp 127.0.0.1:5060` for each listener opened, and each one left to close. */
  readonly opened: readonly string[];
  readonly closing: readonly string[];
  /** Closes the listeners the new configuration no longer has (after the swap). */
  finish(): Promise<void>;
}

/** A listener that could not be bound: the bind error, where its address is configured. */
export class ListenerBindError extends Error {
  override readonly name = 'ListenerBindError';

  constructor(
    readonly options: ListenOptions,
    cause: unknown,
  ) {
    super(osReason(cause), { cause });
  }

  /** The error as a diagnostic at the sip.conf line that sets the address. */
  diagnosticIn(sipDocument: ConfDocument): Diagnostic {
    const where = whereListenerIsConfigured(sipDocument, this.options.transport);
    return { severity: 'error', file: where.file, line: where.line, message: `cannot listen on ${describe(this.options)}: ${this.message}` };
  }
}

/** The system's words for a failed bind (`bind EADDRINUSE 127.0.0.1:5060`) when the error carries them. */
function osReason(error: unknown): string {
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return inner instanceof Error ? inner.message : String(inner);
}

/** `udp 127.0.0.1:5060` */
function describe(options: ListenOptions): string {
  const host = options.address.includes(':') ? `[${options.address}]` : options.address;
  return `${options.transport} ${host}:${options.port}`;
}

// Two listeners are the same when everything they were opened with is (TLS settings too).
function keyOf(options: ListenOptions): string {
  return JSON.stringify(options);
}

/** The sip.conf lines that decide each transport's listener (chan_sip reload_config()). */
const SETTINGS_OF_TRANSPORT: Readonly<Record<ListenOptions['transport'], readonly string[]>> = {
  udp: ['bindaddr', 'udpbindaddr', 'bindport'],
  tcp: ['tcpbindaddr', 'bindaddr', 'udpbindaddr', 'bindport', 'tcpenable'],
  tls: ['tlsbindaddr', 'sslbindaddr', 'tlsenable', 'sslenable'],
  ws: ['websocket_enabled'],
  wss: ['websocket_enabled'],
};

/**
 * The `[general]` line setting a transport's listener (the last line of the first setting
 * written, in the order of {@link SETTINGS_OF_TRANSPORT}), else `[general]`, else the file.
 */
function whereListenerIsConfigured(document: ConfDocument, transport: ListenOptions['transport']): { file: string; line: number } {
  const general = document.categories.find((category) => !category.isTemplate && category.name.toLowerCase() === 'general');
  for (const name of SETTINGS_OF_TRANSPORT[transport]) {
    const line = general?.variables.findLast((variable) => variable.name.toLowerCase() === name);
    if (line !== undefined) return line;
  }
  return general ?? { file: document.file, line: 0 };
}

/** Whether two listeners contend for one port (same transport and port, overlapping addresses). */
function contend(a: ListenOptions, b: ListenOptions): boolean {
  if (a.transport !== b.transport || a.port !== b.port) return false;
  const wildcard = (address: string) => address === '0.0.0.0' || address === '::';
  return a.address === b.address || wildcard(a.address) || wildcard(b.address);
}

/**
 * The SIP listeners sip.conf asks for, kept in step with the configuration: a reload opens the
 * new ones before closing the old (chan_sip closes its socket and binds the new address; a
 * failed bind there leaves SIP deaf, here it refuses the reload and keeps the old listeners).
 */
export class SipListeners {
  readonly #endpoint: ListenerEndpoint;
  #open: OpenListener[] = [];

  constructor(endpoint: ListenerEndpoint) {
    this.#endpoint = endpoint;
  }

  /** The listeners open now. */
  get bound(): readonly ListenerInfo[] {
    return this.#open.map((listener) => listener.info);
  }

  /**
   * Opens what `wanted` has and the running set does not. Throws {@link ListenerBindError}
   * with every listener as it was when a bind fails. The listeners `wanted` no longer has stay
   * open until `finish()` of the result, so the caller can still refuse the whole change.
   */
  async moveTo(wanted: readonly ListenOptions[]): Promise<ListenerMove> {
    const wantedKeys = new Set(wanted.map(keyOf));
    const runningKeys = new Set(this.#open.map((listener) => listener.key));
    const leaving = this.#open.filter((listener) => !wantedKeys.has(listener.key));
    const opened: OpenListener[] = [];
    const released: OpenListener[] = [];
    try {
      for (const options of wanted) {
        if (runningKeys.has(keyOf(options))) continue;
        // A listener on the same port as one that is leaving (0.0.0.0 -> 127.0.0.1) can only
        // bind once that one is closed.
        for (const old of leaving.filter((listener) => !released.includes(listener) && contend(listener.options, options))) {
          await this.#endpoint.closeListener(old.info.id);
          released.push(old);
        }
        opened.push(await this.#bind(options));
      }
    } catch (error) {
      for (const listener of opened) await this.#endpoint.closeListener(listener.info.id);
      // Put back what was released; the addresses were ours a moment ago.
      const restored: OpenListener[] = [];
      for (const old of released) {
        try {
          restored.push(await this.#bind(old.options));
        } catch {
          // Lost to another process meanwhile: nothing more can be done.
        }
      }
      this.#open = this.#open.flatMap((listener) => (released.includes(listener) ? restored.filter((again) => again.key === listener.key) : [listener]));
      throw error;
    }
    const kept = this.#open.filter((listener) => wantedKeys.has(listener.key));
    this.#open = [...kept, ...opened];
    const closing = leaving.filter((listener) => !released.includes(listener));
    return {
      opened: opened.map((listener) => describe(listener.options)),
      closing: leaving.map((listener) => describe(listener.options)),
      finish: async () => {
        for (const listener of closing) await this.#endpoint.closeListener(listener.info.id);
      },
    };
  }

  async #bind(options: ListenOptions): Promise<OpenListener> {
    try {
      const info = await this.#endpoint.listen(options);
      return { key: keyOf(options), options, info };
    } catch (error) {
      throw new ListenerBindError(options, error);
    }
  }
}
