import { describe, expect, it } from 'vitest';
import { runCall } from './support/dialplan-fixture.js';

describe('smoke', () => {
  it('runs a simple extension', async () => {
    const { channel, host } = await runCall(
      `[default]
exten => 100,1,Answer()
 same => n,Set(FOO=bar)
 same => n,Playback(hello-world)
 same => n,Hangup(17)
`,
      { context: 'default', exten: '100' },
    );
    expect(channel.events).toEqual(['answer', 'play:hello-world', 'hangup:17']);
    expect(channel.variables.get('FOO')).toBe('bar');
    expect(host.warnings()).toEqual([]);
  });
});
