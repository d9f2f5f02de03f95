import { PbxEngine, type DialplanSession, type PbxEngineOptions, type PbxRunOptions, type PbxRunResult, type DialplanChannel } from '@tandem/dialplan';
import { BaseChannel } from '../channels/base-channel.js';

type StepOutcome = Awaited<ReturnType<PbxEngine['runStep']>>;

/**
 * The dialplan engine as Tandem runs it: it also keeps each channel's current location and
 * application for `core show channels`, and counts calls processed.
 */
export class TandemEngine extends PbxEngine {
  /** Dialplan runs started (`core show channels`: "N calls processed"). */
  callsProcessed = 0;

  constructor(options: PbxEngineOptions) {
    super(options);
  }

  override run(channel: DialplanChannel, start: { context: string; exten?: string; priority?: number }, options?: PbxRunOptions): Promise<PbxRunResult> {
    this.callsProcessed += 1;
    return super.run(channel, start, options);
  }

  override runStep(session: DialplanSession): Promise<StepOutcome> {
    const channel = session.channel;
    if (channel instanceof BaseChannel) {
      const step = this.dialplan.find(session.context, session.exten, session.priority, { callerId: session.callerNumber, now: this.host.now() })?.step;
      const location = channel.location;
      location.context = session.context;
      location.exten = session.exten;
      location.priority = session.priority;
      location.application = step?.application ?? '';
      location.data = step?.data ?? '';
    }
    return super.runStep(session);
  }
}
