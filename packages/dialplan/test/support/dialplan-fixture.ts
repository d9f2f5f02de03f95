import { buildExtensionsConf, parseConf } from '@tandem/config';
import { compileDialplan, PbxEngine, type CompiledDialplan, type PbxEngineOptions } from '../../src/index.js';
import { TestChannel, TestHost, type TestChannelOptions, type TestHostOptions } from '../../src/testing/index.js';

/** Compiles extensions.conf text. */
export function compile(text: string): CompiledDialplan {
  const document = parseConf(text, { file: 'extensions.conf' });
  const { config } = buildExtensionsConf(document);
  return compileDialplan(config);
}

/** An engine over `text` with a test host; Answer() does not wait. */
export function engineFor(text: string, hostOptions: TestHostOptions = {}, engineOptions: Partial<PbxEngineOptions> = {}): { engine: PbxEngine; host: TestHost; compiled: CompiledDialplan } {
  const compiled = compile(text);
  const host = new TestHost(hostOptions);
  const engine = new PbxEngine({ dialplan: compiled.dialplan, host, answerSettleMs: 0, ...engineOptions });
  return { engine, host, compiled };
}

/** Runs `exten@context` on a new test channel and returns the channel. */
export async function runCall(
  text: string,
  start: { context: string; exten: string },
  options: { channel?: TestChannelOptions; host?: TestHostOptions } = {},
): Promise<{ channel: TestChannel; host: TestHost; engine: PbxEngine }> {
  const { engine, host } = engineFor(text, options.host);
  const channel = new TestChannel(options.channel);
  await engine.run(channel, start);
  return { channel, host, engine };
}
