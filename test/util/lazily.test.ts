import { describe, expect, it } from 'vitest';
import { lazily } from '../../src/util/lazily.ts';

describe('lazily', () => {
  it('builds nothing until the first call, then builds once and returns the same value', () => {
    let builds = 0;
    const value = lazily(() => ({ built: ++builds }));
    expect(builds).toBe(0);
    const first = value();
    expect(value()).toBe(first);
    expect(builds).toBe(1);
  });

  it('remembers a value that is undefined too', () => {
    let builds = 0;
    const value = lazily(() => void builds++);
    value();
    value();
    expect(builds).toBe(1);
  });
});
