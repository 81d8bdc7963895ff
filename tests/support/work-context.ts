/** A WorkContext for tests that records progress and log lines. */
import type { WorkContext } from '../../main/core/providers/provider';

export function testContext(
  signal: AbortSignal = new AbortController().signal,
): WorkContext & { lines: string[] } {
  const lines: string[] = [];
  return { signal, lines, progress: () => undefined, log: (line) => void lines.push(line) };
}
