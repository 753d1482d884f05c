import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { restartDelayMs, supervise, type Supervisable } from './supervisor.js';

/** A stand-in part whose end the test decides: the supervisor, not a server, is under test here. */
function fakePart() {
  let end: () => void = () => {};
  const part: Supervisable & { end(): void; stopped: boolean } = {
    ended: new Promise<void>((resolve) => (end = resolve)),
    stopped: false,
    end: () => end(),
    async stop() {
      part.stopped = true;
      end();
    },
  };
  return part;
}

describe('restartDelayMs', () => {
  it('backs off 1 s, 2 s, 4 s … and never waits more than 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(restartDelayMs)).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});

describe('supervise', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('restarts a part that ended by itself, after the backoff, and logs it', async () => {
    const parts: ReturnType<typeof fakePart>[] = [];
    const log: string[] = [];
    const supervisor = await supervise(
      'part',
      async () => {
        const part = fakePart();
        parts.push(part);
        return part;
      },
      (line) => log.push(line),
    );
    parts[0]?.end();
    await vi.advanceTimersByTimeAsync(999);
    expect(parts).toHaveLength(1);
    expect(supervisor.current()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(parts).toHaveLength(2);
    expect(supervisor.current()).toBe(parts[1]);
    expect(log.join('\n')).toMatch(/part ended unexpectedly; restarting in 1 s[\s\S]*part restarted/);
  });

  it('retries a failing restart with growing delays', async () => {
    let starts = 0;
    const first = fakePart();
    const supervisor = await supervise(
      'part',
      async () => {
        starts += 1;
        if (starts === 1) return first;
        if (starts < 4) throw new Error('port still taken');
        return fakePart();
      },
      () => {},
    );
    first.end();
    await vi.advanceTimersByTimeAsync(1000); // 2nd start fails
    await vi.advanceTimersByTimeAsync(2000); // 3rd start fails
    expect(starts).toBe(3);
    expect(supervisor.current()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(4000); // 4th start succeeds
    expect(starts).toBe(4);
    expect(supervisor.current()).toBeDefined();
  });

  it('never restarts a part that was stopped', async () => {
    let starts = 0;
    const supervisor = await supervise(
      'part',
      async () => {
        starts += 1;
        return fakePart();
      },
      () => {},
    );
    const part = supervisor.current();
    await supervisor.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(starts).toBe(1);
    expect(part).toMatchObject({ stopped: true });
  });

  it('a stop during the backoff cancels the restart', async () => {
    let starts = 0;
    const first = fakePart();
    const supervisor = await supervise(
      'part',
      async () => {
        starts += 1;
        return starts === 1 ? first : fakePart();
      },
      () => {},
    );
    first.end();
    await vi.advanceTimersByTimeAsync(500);
    await supervisor.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(starts).toBe(1);
  });
});
