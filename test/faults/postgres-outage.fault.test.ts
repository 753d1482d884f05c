import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config.js';
import { cases, tasks } from '../../engine/db/schema.js';
import { startSystem, type System } from '../../engine/main/system.js';
import { createAccountRepository } from '../../engine/repositories/account.repository.js';
import { createAuthService } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { loadServiceFolder } from '../../engine/services/service-definition.js';
import { newSubmissionToken } from '../../engine/web/http.js';
import { caseStateQuery } from '../../engine/case/contract.js';
import { WebClient } from '../browserless-client.js';
import { eventually } from '../system.js';
import { dataFolder, environmentOf, freePorts, holdPort, killServer, type LotsePorts } from './lotse-process.js';

/**
 * The embedded PostgreSQL dies (issue 7, defects 3 and 5): pages answer a styled 503 — never a stack trace, also
 * without a session (its store is the database) — the supervisor restarts it, and the read model catches up with
 * what the workflows did meanwhile.
 */
describe('PostgreSQL killed', () => {
  let dataDir: string;
  let ports: LotsePorts;
  let system: System;

  beforeAll(async () => {
    dataDir = await dataFolder();
    ports = await freePorts();
    // NODE_ENV as when it is unset: Express's own error page would show a stack trace in development.
    system = await startSystem(
      loadConfig({ ...environmentOf(dataDir, ports), NODE_ENV: 'development', PORT: '0' }),
      () => {},
    );
  });

  afterAll(async () => {
    await system?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('pages answer a styled 503 meanwhile, it is restarted, and the projection catches up for every case', async () => {
    // Invariant: during the outage every page is the styled 503 page (no stack trace, with or without a session);
    // afterwards the read model of every case equals its workflow's state (seq, status, public status): nothing the
    // workflows did during the outage is missing.
    await system.services.catalog.publish(
      await loadServiceFolder(fileURLToPath(new URL('./fixtures/timer-task', import.meta.url))),
    );
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    if (!company) throw new Error('demo account missing');
    const caseIds = await Promise.all(
      ['fault-timer-task', 'fault-timer-task', 'fault-timer-task', 'general-inquiry', 'general-inquiry'].map(
        async (slug, n) => {
          const started = await system.services.caseStarts.submit(company, slug, newSubmissionToken(), {
            subject: `Datenbankausfall ${n}`,
            message: 'Dieser Fall läuft während des Datenbankausfalls weiter.',
            contactChannel: 'email',
          });
          if (!started?.ok) throw new Error(`${slug} did not start`);
          return started.caseId;
        },
      ),
    );
    const browser = new WebClient(system.url);
    await browser.login(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    expect((await browser.get('/cases')).status).toBe(200);

    // When PostgreSQL is killed while the timers (5 s) are due, and stays away ~10 s
    const killedAt = Date.now();
    await killServer(['-D', path.join(dataDir, 'pg')]);
    const port = await holdPort(ports.postgres);
    let released = false;
    try {
      const health = await fetch(`${system.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ database: 'down' });
      expect(Date.now() - killedAt).toBeLessThan(2000);

      // Then pages with a session, and without, are the styled 503 page
      for (const [client, page] of [
        [browser, '/cases'],
        [browser, `/cases/${caseIds[0]}`],
        [new WebClient(system.url), '/services'],
      ] as const) {
        const response = await client.get(page);
        expect(response.status, page).toBe(503);
        expect(response.headers.get('content-type')).toContain('text/html');
        expect(response.html).toContain('<link rel="stylesheet" href="/static/styles.css">');
        expect(response.html).toContain('Der Dienst ist kurz nicht erreichbar');
        expect(response.html).not.toMatch(/\bat .+\.(ts|js):\d+/);
        expect(response.html).not.toContain('Error');
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10_000 - (Date.now() - killedAt))));
      await port.release();
      released = true;
    } finally {
      if (!released) await port.release();
    }

    // And it is restarted by the supervisor, with the session still valid
    await eventually(
      async () => ((await fetch(`${system.url}/healthz`)).status === 200 ? true : undefined),
      60_000,
      'a healthy system',
    );
    console.log(`[fault] healthy again ${Date.now() - killedAt} ms after PostgreSQL was killed (held away 10 s)`);
    expect((await browser.get('/cases')).status).toBe(200);

    // And every case's read model catches up with its workflow. A projection that failed during the outage is
    // retried with backoff (at most a minute apart, workflows/case.workflow.ts), so catching up may take that long.
    const caughtUpAt = Date.now();
    const { rows: projected, states } = await eventually(
      async () => {
        const states = await Promise.all(
          caseIds.map((caseId) => system.temporalClient.workflow.getHandle(caseId).query(caseStateQuery)),
        );
        const rows = await Promise.all(
          caseIds.map(async (caseId) => (await system.db.select().from(cases).where(eq(cases.id, caseId)))[0]),
        );
        return rows.every((row, index) => row?.seq === states[index]?.seq) ? { rows, states } : undefined;
      },
      75_000,
      'the read model to catch up',
    );
    console.log(`[fault] the read model caught up ${Date.now() - caughtUpAt} ms after PostgreSQL was healthy`);
    for (const [index, caseId] of caseIds.entries()) {
      const row = projected[index];
      const state = states[index];
      expect({ seq: row?.seq, status: row?.status, publicStatus: row?.publicStatus }).toEqual({
        seq: state?.seq,
        status: state?.status,
        publicStatus: state?.publicStatus ?? null,
      });
      const open = await system.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.caseId, caseId), eq(tasks.status, 'open')));
      // The timer cases' deadline passed during the outage: their task is there; the inquiries still wait.
      expect(open.map((task) => task.elementId)).toEqual([index < 3 ? 'Task_Check' : 'Task_Answer']);
    }
  });
});
