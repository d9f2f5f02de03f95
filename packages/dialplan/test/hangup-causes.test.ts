import { describe, expect, it } from 'vitest';
import { causeDescription, causeName } from '../src/index.js';

describe('hangup causes', () => {
  it("describe and name causes as ast_cause2str() does, 'Unknown' outside the table", () => {
    expect(causeDescription(16)).toBe('Normal Clearing');
    expect(causeName(16)).toBe('NORMAL_CLEARING');
    expect(causeDescription(17)).toBe('User busy');
    expect(causeDescription(999)).toBe('Unknown');
    expect(causeName(999)).toBeUndefined();
  });
});
