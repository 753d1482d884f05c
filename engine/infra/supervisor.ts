/** Something that runs until it ends by itself (`ended`) or is stopped. */
export interface Supervisable {
  /** Settles when the part ended, for whatever reason (a crash, a kill, a fatal error). */
  ended: Promise<unknown>;
  stop(): Promise<void>;
}

export interface Supervisor<T extends Supervisable> {
  /** The running instance; undefined while a restart is pending. */
  current(): T | undefined;
  /** Stops the part and ends supervision: no restart after this. */
  stop(): Promise<void>;
}

/** Backoff between restarts: 1 s, 2 s, 4 s … at most 30 s. */
export function restartDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempt), 30_000);
}

/** A part that ran this long before it ended starts over at the shortest delay. */
const STABLE_AFTER_MS = 60_000;

/**
 * Starts a part and restarts it with backoff whenever it ends without being stopped. The first start's
 * error is thrown (a system that cannot start should say so); later failures are logged and retried.
 */
export async function supervise<T extends Supervisable>(
  name: string,
  start: () => Promise<T>,
  log: (message: string) => void,
): Promise<Supervisor<T>> {
  let current: T | undefined = await start();
  let stopping = false;
  let attempt = 0;
  let startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let restarting: Promise<void> | undefined;

  const watch = (instance: T) => {
    void instance.ended.then(
      (result) => ended(instance, result),
      (error: unknown) => ended(instance, error),
    );
  };
  const ended = (instance: T, reason: unknown) => {
    if (stopping || instance !== current) return;
    current = undefined;
    if (Date.now() - startedAt > STABLE_AFTER_MS) attempt = 0;
    schedule(`${name} ended unexpectedly${describe(reason)}`);
  };
  const schedule = (why: string) => {
    const delay = restartDelayMs(attempt);
    attempt += 1;
    log(`[supervisor] ${why}; restarting in ${delay / 1000} s`);
    timer = setTimeout(() => {
      timer = undefined;
      restarting = restart().finally(() => (restarting = undefined));
    }, delay);
  };
  const restart = async () => {
    try {
      const instance = await start();
      if (stopping) return void (await instance.stop());
      current = instance;
      startedAt = Date.now();
      log(`[supervisor] ${name} restarted`);
      watch(instance);
    } catch (error) {
      if (!stopping) schedule(`${name} did not start again${describe(error)}`);
    }
  };

  watch(current);
  return {
    current: () => current,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await restarting;
      const instance = current;
      current = undefined;
      await instance?.stop();
    },
  };
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return `: ${reason.message.split('\n')[0]}`;
  return typeof reason === 'string' && reason ? `: ${reason}` : '';
}
