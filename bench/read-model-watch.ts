import { performance } from 'node:perf_hooks';
import pg from 'pg';

/** What the benchmark waits for in the read model. */
export type Milestone = 'task' | 'mail' | 'done';

export interface Sighting {
  /** Epoch ms (sub-ms precision) when the notification arrived, i.e. shortly after the commit. */
  at: number;
  /** For `task`: the task id. */
  detail: string;
}

const CHANNEL = 'lotse_bench';

/**
 * Triggers on the benchmark's own throwaway database: a committed open task, outbox mail or
 * completed case sends a NOTIFY. The benchmark learns of it within a millisecond instead of
 * polling the tables from eight loops at once, which on two cores would cost more CPU than
 * the engine it measures. The cost left in the measured transactions is one pg_notify each.
 */
const TRIGGERS_SQL = `
create or replace function lotse_bench_notify() returns trigger language plpgsql as $$
begin
  if tg_table_name = 'tasks' then
    perform pg_notify('${CHANNEL}', 'task:' || new.case_id || ':' || new.id);
  elsif tg_table_name = 'outbox_mails' then
    perform pg_notify('${CHANNEL}', 'mail:' || new.case_id || ':' || new.id);
  else
    perform pg_notify('${CHANNEL}', 'done:' || new.id || ':');
  end if;
  return null;
end $$;
drop trigger if exists lotse_bench_task on tasks;
create trigger lotse_bench_task after insert on tasks
  for each row when (new.status = 'open') execute function lotse_bench_notify();
drop trigger if exists lotse_bench_mail on outbox_mails;
create trigger lotse_bench_mail after insert on outbox_mails
  for each row when (new.case_id is not null) execute function lotse_bench_notify();
drop trigger if exists lotse_bench_done on cases;
create trigger lotse_bench_done after update of status on cases
  for each row when (new.status = 'completed' and old.status is distinct from 'completed')
  execute function lotse_bench_notify();
`;

export async function watchReadModel(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(TRIGGERS_SQL);
  // A sighting may arrive before anyone waits for it (the worker can be faster than the
  // caller's await): keep it until asked.
  const seen = new Map<string, Sighting>();
  const waiting = new Map<string, (sighting: Sighting) => void>();
  client.on('notification', (message) => {
    const at = performance.timeOrigin + performance.now();
    const [milestone, caseId, detail = ''] = (message.payload ?? '').split(':');
    const key = `${milestone}:${caseId}`;
    const waiter = waiting.get(key);
    if (waiter) {
      waiting.delete(key);
      waiter({ at, detail });
    } else {
      seen.set(key, { at, detail });
    }
  });
  await client.query(`listen ${CHANNEL}`);

  return {
    /** Resolves when `milestone` has happened for the case (or already had). */
    next(milestone: Milestone, caseId: string, timeoutMs = 30_000): Promise<Sighting> {
      const key = `${milestone}:${caseId}`;
      const already = seen.get(key);
      if (already) {
        seen.delete(key);
        return Promise.resolve(already);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(key);
          reject(new Error(`No "${milestone}" for case ${caseId} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(key, (sighting) => {
          clearTimeout(timer);
          resolve(sighting);
        });
      });
    },
    /** Removes the triggers again, so the database is as Lotse left it. */
    async close() {
      await client.query(
        'drop trigger if exists lotse_bench_task on tasks; drop trigger if exists lotse_bench_mail on outbox_mails; ' +
          'drop trigger if exists lotse_bench_done on cases; drop function if exists lotse_bench_notify();',
      );
      await client.end();
    },
  };
}

export type ReadModelWatch = Awaited<ReturnType<typeof watchReadModel>>;
