import { describe, expect, it } from 'vitest';
import { generateBranch, generateCallId, generateTag, randomHex } from '../src/index.js';

describe('random ids', () => {
  it("have chan_sip's shapes", () => {
    expect(generateBranch()).toMatch(/^z9hG4bK[0-9a-f]{16}$/);
    expect(generateTag()).toMatch(/^as[0-9a-f]{8}$/);
    expect(generateCallId('192.0.2.1')).toMatch(/^[0-9a-f]{32}@192\.0\.2\.1$/);
    expect(randomHex(5000)).toMatch(/^[0-9a-f]{10000}$/);
  });

  it('never repeat, also across refills of the random pool', () => {
    // 3000 branches draw 24,000 bytes: several 4 KiB pool refills.
    const branches = new Set(Array.from({ length: 3000 }, () => generateBranch()));
    expect(branches.size).toBe(3000);
  });
});
