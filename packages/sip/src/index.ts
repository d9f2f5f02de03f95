// Errors
export { SipError, isSipError, type SipErrorCode, type SipErrorOptions } from './sip-error.js';

// Messages
export {
  getParam,
  hasParam,
  setParam,
  removeParam,
  formatParams,
  quote,
  unquote,
  type GenericParam,
} from './message/generic-param.js';
export {
  parseUri,
  tryParseUri,
  formatUri,
  cloneUri,
  uriHostAddress,
  formatHost,
  type SipUri,
  type UriScheme,
} from './message/sip-uri.js';
export {
  parseNameAddr,
  parseNameAddrList,
  formatNameAddr,
  getTag,
  withTag,
  cloneNameAddr,
  hasUnterminatedQuote,
  type NameAddr,
} from './message/name-addr.js';
export { parseVia, parseViaList, formatVia, viaBranch, viaRport, viaReceived, type Via } from './message/via.js';
export { parseCSeq, formatCSeq, type CSeq } from './message/cseq.js';
export { parseAuthHeader, type AuthHeader } from './message/auth-header.js';
export { compactHeaderNames, canonicalHeaderKey } from './message/compact-header-names.js';
export { SipHeaders, type SipHeaderField } from './message/sip-headers.js';
export {
  SipMessageBase,
  SipRequest,
  SipResponse,
  type SipMessage,
  type SessionExpires,
  type ContentType,
} from './message/sip-message.js';
export {
  parseMessage,
  type ParseOutcome,
  type ParseMessageOptions,
  type DropReason,
} from './message/parse-message.js';
export { serializeMessage } from './message/serialize-message.js';
export { createResponse, type CreateResponseOptions } from './message/create-response.js';
export { natDetected, forcesRport, type NatPolicy } from './message/nat-policy.js';
export { buildRequest, formatAddress, type RequestInit } from './message/build-request.js';
export { reasonPhrase } from './message/reason-phrases.js';
export { generateBranch, generateTag, generateCallId, randomHex, BRANCH_MAGIC_COOKIE } from './message/random-ids.js';

// Transport types
export {
  isReliableTransport,
  isSecureTransport,
  viaTransportToken,
  defaultPort,
  type TransportProtocol,
  type MessageSource,
  type Destination,
} from './transport/transport-types.js';

// Digest authentication
export {
  md5Hex,
  digestHa1,
  digestResponse,
  generateNonce,
  formatDigestChallenge,
  verifyDigestCredentials,
  createDigestAuthorization,
  selectDigestChallenge,
  type DigestResponseInput,
  type DigestChallengeInit,
  type DigestVerdict,
  type DigestVerifyInput,
  type DigestAuthorizationInput,
} from './auth/digest.js';

// Transports
export { SipTransportLayer, type ListenOptions, type ListenerInfo, type TransportLayerOptions, type LocalEndpoint, type TransportLayerEvents } from './transport/sip-transport-layer.js';
export { DEFAULT_MAX_MESSAGE_BYTES, type SipConnection, type ConnectionLimits } from './transport/sip-connection.js';
export { StreamFramer, type StreamFrame } from './transport/stream-framer.js';
export { loadTlsFiles, type TlsSettings, type TlsFiles } from './transport/tls-settings.js';
export { routeLocalAddress } from './transport/local-address.js';
export { ipFamily, normalizeAddress, isWildcardAddress, formatHostPort } from './transport/address-family.js';

// Transactions
export { timersFromT1, DEFAULT_T1, type TransactionTimers } from './transaction/transaction-timers.js';
export { ClientTransaction, clientTransactionKey, type ClientTransactionState, type ClientTransactionEvents, type TransactionFailure } from './transaction/client-transaction.js';
export { InviteClientTransaction, ackForNon2xx } from './transaction/invite-client-transaction.js';
export { NonInviteClientTransaction } from './transaction/non-invite-client-transaction.js';
export { ServerTransaction, type ServerTransactionState, type ServerTransactionEvents } from './transaction/server-transaction.js';
export { InviteServerTransaction } from './transaction/invite-server-transaction.js';
export { NonInviteServerTransaction } from './transaction/non-invite-server-transaction.js';
export {
  TransactionLayer,
  serverTransactionKey,
  type TransactionLayerTransport,
  type TransactionLayerOptions,
  type SendRequestOptions,
  type RequestHandler,
  type AckHandler,
  type StrayResponseHandler,
} from './transaction/transaction-layer.js';
export type { TransactionTransport, TransactionHost } from './transaction/transaction-host.js';
export { buildCancel } from './transaction/cancel-request.js';
export { responseDestination } from './transaction/response-destination.js';
export { sendWithFailover, type FailoverResult, type FailoverOptions } from './transaction/send-with-failover.js';

// Endpoint
export { SipEndpoint, type SipEndpointOptions, type SipEndpointEvents } from './endpoint/sip-endpoint.js';

// Dialogs
export { Dialog, dialogId, dialogIdOf, type DialogState, type InDialogRequestOptions, type DialogLocalSide } from './dialog/dialog.js';
export { parseRouteHops, isStrictRoute, formatRouteHeader, routeHopUri, type RouteHop } from './dialog/route-set.js';

// SDP
export { codecTable, codecByName, codecForRtpmap, TELEPHONE_EVENT, type CodecInfo } from './sdp/codec-table.js';
export {
  parseSdp,
  serializeSdp,
  isOnHold,
  type ParsedSdp,
  type SdpOrigin,
  type MediaLine,
  type MediaFormat,
  type MediaDirection,
} from './sdp/session-description.js';
export { buildSdp, offerCodecs, type BuildSdpOptions, type DeclinedMedia, type ImageMedia, type SdpMediaInit, type SdpCodec } from './sdp/build-sdp.js';
export { normalizeH264Fmtp } from './sdp/h264-fmtp.js';
export { negotiateCodecs, passedFmtp, type CodecNegotiation, type NegotiateOptions } from './sdp/negotiate-codecs.js';

// DNS
export { SipResolver, type SipResolverOptions, type ResolvedTarget, type AddressFamilyPreference } from './dns/sip-resolver.js';
export { orderSrvRfc2782, orderSrvChanSip, type SrvRecord, type RandomSource } from './dns/srv-order.js';
export { sortNaptr, enumDomain, type NaptrRecord } from './dns/naptr.js';
