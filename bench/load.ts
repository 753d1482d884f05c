import { performance } from 'node:perf_hooks';

/** Epoch ms with sub-ms precision: comparable with Temporal's history event times on this machine. */
export const now = () => performance.timeOrigin + performance.now();

/** One iteration: `marks` are named moments inside it, in ms after `start`. */
export interface IterationRecord {
  workflowId: string;
  start: number;
  total: number;
  marks: Record<string, number>;
}

/**
 * Closed loop: `concurrency` callers each run the next iteration as soon as their last one
 * returned, until `count` have run. The first failure stops every caller and is rethrown. When
 * `signal` aborts, this rejects at once and abandons the iterations in flight.
 */
export async function runClosedLoop(
  count: number,
  concurrency: number,
  iterate: () => Promise<IterationRecord>,
  signal?: AbortSignal,
): Promise<{ records: IterationRecord[]; wallMs: number }> {
  const records: IterationRecord[] = [];
  let claimed = 0;
  let failed = false;
  const started = now();
  const callers = Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!failed && !signal?.aborted && claimed < count) {
        claimed++;
        try {
          records.push(await iterate());
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    }),
  );
  if (signal) await untilAborted(callers, signal);
  else await callers;
  return { records, wallMs: now() - started };
}

/** `work`, or a rejection as soon as `signal` aborts, whichever comes first. */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) throw new Error('interrupted');
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error('interrupted'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
