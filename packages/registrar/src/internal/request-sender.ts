import type { ClientTransaction, Destination, LocalEndpoint, SendRequestOptions, SipRequest } from '@tandem/sip';

/**
 * What the registrar needs to send requests: `SipEndpoint` (and `TransactionLayer`, for
 * tests over a fake transport) fit.
 */
export interface RequestSender {
  sendRequest(request: SipRequest, destination: Destination, options?: SendRequestOptions): ClientTransaction;
  readonly transport: {
    localEndpointFor(destination: Pick<Destination, 'transport' | 'address' | 'connectionId'>): Promise<LocalEndpoint>;
  };
}
