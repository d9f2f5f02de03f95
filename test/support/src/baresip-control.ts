import { connect, type Socket } from 'node:net';

/** An event baresip's ctrl_tcp module reports (`{"event":true,"type":"CALL_ESTABLISHED",...}`). */
export interface BaresipEvent {
  /** `REGISTER_OK`, `CALL_INCOMING`, `CALL_ESTABLISHED`, `CALL_CLOSED`, `CALL_DTMF_START`, ... */
  readonly type: string;
  readonly class: string;
  /** Event detail: the peer URI, a close reason, a DTMF digit, ... */
  readonly param?: string;
  /** The call's id (call events). */
  readonly id?: string;
  readonly direction?: string;
  readonly peeruri?: string;
  readonly accountaor?: string;
}

/** What baresip answered to a command. */
export interface BaresipResponse {
  readonly ok: boolean;
  /** The command's printed output (ANSI colours removed). */
  readonly data: string;
}

interface Pending {
  readonly resolve: (response: BaresipResponse) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const ANSI_ESCAPE = /\x1b\[[0-9;]*m/g;

/**
 * A client of baresip's `ctrl_tcp` module: JSON messages framed as netstrings
 * (`<length>:<json>,`), commands answered by responses carrying the command's token, and
 * events pushed as they happen. Every wait is bounded.
 */
export class BaresipControl {
  /** Every event received so far, oldest first. */
  readonly events: BaresipEvent[] = [];
  readonly #socket: Socket;
  readonly #pending = new Map<string, Pending>();
  readonly #eventWaiters = new Set<() => void>();
  #buffer = Buffer.alloc(0);
  #nextToken = 1;
  #failure: Error | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('baresip closed the control connection')));
  }

  /** Connects to `host:port`, retrying while baresip starts, for at most `timeoutMs`. */
  static async connect(host: string, port: number, timeoutMs = 10_000): Promise<BaresipControl> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const attempt = connect({ host, port }, () => {
            attempt.off('error', reject);
            resolve(attempt);
          });
          attempt.once('error', reject);
        });
        return new BaresipControl(socket);
      } catch (error) {
        if (Date.now() >= deadline) throw new Error(`baresip ctrl_tcp at ${host}:${port} did not accept a connection: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  /** Runs a baresip command (`dial`, `hangup`, `sndcode`, `reginfo`, ...) and resolves with its response. */
  command(name: string, params = '', timeoutMs = 5000): Promise<BaresipResponse> {
    if (this.#failure) return Promise.reject(this.#failure);
    const token = String(this.#nextToken++);
    const json = Buffer.from(JSON.stringify({ command: name, params, token }));
    return new Promise<BaresipResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(token);
        reject(new Error(`baresip did not answer '${name} ${params}' within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(token, { resolve, reject, timer });
      this.#socket.write(Buffer.concat([Buffer.from(`${json.length}:`), json, Buffer.from(',')]));
    });
  }

  /**
   * Resolves with the first event, already received or still to come, that `matches`; rejects
   * after `timeoutMs`, naming the events seen.
   */
  async waitForEvent(matches: (event: BaresipEvent) => boolean, timeoutMs = 10_000): Promise<BaresipEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(matches);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0 || this.#failure) {
        const seen = this.events.map((event) => `${event.type}(${event.param ?? ''})`).join(' ');
        throw new Error(`expected baresip event not seen within ${timeoutMs} ms${this.#failure ? ` (${this.#failure.message})` : ''}; seen: ${seen || 'none'}`);
      }
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#eventWaiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#eventWaiters.add(wake);
      });
    }
  }

  /** Closes the connection (baresip keeps running). */
  close(): void {
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const colon = this.#buffer.indexOf(':');
      if (colon < 0) return;
      const lengthText = this.#buffer.toString('ascii', 0, colon);
      if (!/^\d{1,7}$/.test(lengthText)) return this.#fail(new Error(`bad netstring length from baresip: ${JSON.stringify(lengthText)}`));
      const length = Number(lengthText);
      const end = colon + 1 + length;
      if (this.#buffer.length < end + 1) return;
      if (this.#buffer[end] !== 0x2c) return this.#fail(new Error('netstring from baresip does not end with a comma'));
      const text = this.#buffer.toString('utf8', colon + 1, end);
      this.#buffer = this.#buffer.subarray(end + 1);
      this.#dispatch(text);
    }
  }

  #dispatch(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return this.#fail(new Error(`baresip sent invalid JSON: ${text}`));
    }
    if (typeof message !== 'object' || message === null) return;
    const fields = message as Record<string, unknown>;
    const stringField = (name: string): string | undefined => (typeof fields[name] === 'string' ? (fields[name] as string) : undefined);
    if (fields['response'] === true) {
      const token = stringField('token') ?? '';
      const pending = this.#pending.get(token);
      if (!pending) return;
      this.#pending.delete(token);
      clearTimeout(pending.timer);
      pending.resolve({ ok: fields['ok'] === true, data: (stringField('data') ?? '').replace(ANSI_ESCAPE, '') });
    } else if (fields['event'] === true || fields['event'] === 'true') {
      const optional = (name: 'param' | 'id' | 'direction' | 'peeruri' | 'accountaor'): Partial<BaresipEvent> => {
        const value = stringField(name);
        return value === undefined ? {} : { [name]: value };
      };
      this.events.push({
        type: stringField('type') ?? '',
        class: stringField('class') ?? '',
        ...optional('param'),
        ...optional('id'),
        ...optional('direction'),
        ...optional('peeruri'),
        ...optional('accountaor'),
      });
      for (const wake of [...this.#eventWaiters]) wake();
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const [token, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.#pending.delete(token);
    }
    for (const wake of [...this.#eventWaiters]) wake();
    this.#socket.destroy();
  }
}
