import {
  PbxEngine,
  type DialplanChannel,
  type DialplanPriority,
  type DialplanSession,
  type PbxEngineOptions,
  type PbxRunOptions,
  type PbxRunResult,
} from '@tandem/dialplan';
import { BaseChannel } from '../channels/base-channel.js';

/** Keeps a channel's current location and application for `core show channels`. */
function recordStep(session: DialplanSession, step: DialplanPriority, data: string): void {
  const channel = session.channel;
  if (!(channel instanceof BaseChannel)) return;
  const location = channel.location;
  location.context = session.context;
  location.exten = session.exten;
  location.priority = session.priority;
  location.application = step.application;
  location.data = data;
}

/**
 * The dialplan engine as Tandem runs it: it also keeps each channel's current location and
 * application for `core show channels`, and counts calls processed.
 */
export class TandemEngine extends PbxEngine {
  /** Dialplan runs started (`core show channels`: "N calls processed"). */
  callsProcessed = 0;

  constructor(options: Omit<PbxEngineOptions, 'onStep'>) {
    super({ ...options, onStep: recordStep });
  }

  override run(channel: DialplanChannel, start: { context: string; exten?: string; priority?: number }, options?: PbxRunOptions): Promise<PbxRunResult> {
    this.callsProcessed += 1;
    return super.run(channel, start, options);
  }
}
