import { describe, expect, it } from 'vitest';
import { progressFactory } from '../../src/cli/progress.js';

function fakeStream(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const stream = { isTTY: false, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => out };
}

describe('progress on a non-TTY stream', () => {
  it('prints plain lines at 10% steps (throttled) and a final duration line', () => {
    const { stream, text } = fakeStream();
    const p = progressFactory({ stream, prefix: '[1/2] ' })('k-means', 100);
    p.update(5);
    p.update(30, 'inertia 12.5');
    p.update(60); // within 2 s of the last line: not printed
    p.stop();
    p.update(90); // after stop: ignored
    const lines = text().trim().split('\n');
    expect(lines[0]).toBe('[1/2] k-means: 30% (30/100) inertia 12.5');
    expect(lines[1]).toMatch(/^\[1\/2\] k-means: done in \d+ ms \(inertia 12\.5\)$/);
    expect(lines).toHaveLength(2);
  });

  it('is silent when quiet', () => {
    const { stream, text } = fakeStream();
    const p = progressFactory({ stream, quiet: true })('x', 10);
    p.update(10);
    p.stop();
    expect(text()).toBe('');
  });
});
