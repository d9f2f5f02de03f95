import type { Destination, MessageSource } from '../transport/transport-types.js';

/** What transactions need from below: sending bytes to a destination. */
export interface TransactionTransport {
  send(bytes: Buffer, destination: Destination): Promise<MessageSource>;
}

/** What transactions need from the layer that owns them. */
export interface TransactionHost {
  readonly transport: TransactionTransport;
  /** Removes a transaction from the matching tables once Terminated. */
  forget(transaction: { readonly key: string }): void;
}
