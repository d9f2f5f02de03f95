export { parseInvocation, type Invocation, type ServerOptions, UsageError } from './args.js';
export { runRemoteCommand } from './control-client.js';
export { serveControlSocket, type CommandRunner } from './control-server.js';
export { parseControlReply, parseControlRequest, type ControlReply, type ControlRequest } from './control-protocol.js';
