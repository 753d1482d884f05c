/**
 * `npm run record:histories`: records the workflow histories the replay test replays. Every scenario
 * of the shipped services (`workflows/catalog/**\/*.test.json`, scenario mode) and one live general
 * inquiry with real activities. Run it after a deliberate change to the workflow's history shape,
 * never to make a failing replay pass without understanding why (ADR 0008).
 */
import { mkdtemp, rm, chmod, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { loadConfig } from '../../engine/config.js';
import { cases, tasks } from '../../engine/db/schema.js';
import { CATALOG_DIR, PROJECT_ROOT, startSystem } from '../../engine/main/system.js';
import { createAccountRepository } from '../../engine/repositories/account.repository.js';
import { createAuthService } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { runScenarioTests } from '../../engine/scenario/run-scenarios.js';
import { newSubmissionToken } from '../../engine/web/http.js';
import { requestInformationUpdate } from '../../engine/case/contract.js';
import { addDays } from '../../engine/case/information-request.js';
import { actorOf } from '../../engine/case/task-completion.js';
import { agencyToday } from '../../engine/case/today.js';
import { createHash } from 'node:crypto';
import { compileProcess } from '../../engine/model/compile.js';
import { createMigrationRepository } from '../../engine/repositories/migration.repository.js';
import { createMigrationService } from '../../engine/services/migration.service.js';
import { loadServiceFolder } from '../../engine/services/service-definition.js';

const HISTORIES = path.join(PROJECT_ROOT, 'test', 'replay', 'histories');

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('timed out');
}

/** A system of its own (embedded PostgreSQL and Temporal) for one live recording. */
async function withRecordingSystem(record: (system: Awaited<ReturnType<typeof startSystem>>) => Promise<void>) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lotse-record-'));
  await chmod(dataDir, 0o755);
  const base = 23_000 + Math.floor(Math.random() * 1000);
  const system = await startSystem(
    loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(base),
      TEMPORAL_DEV_PORT: String(base + 1),
      TEMPORAL_UI_PORT: String(base + 2),
      SESSION_SECRET: 'record-secret-record-secret-record-42',
    }),
    () => {},
  );
  try {
    await record(system);
  } finally {
    await system.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function openTask(system: Awaited<ReturnType<typeof startSystem>>, caseId: string, applicant: boolean) {
  return until(async () => {
    const open = await system.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.caseId, caseId), eq(tasks.status, 'open')));
    return open.find((task) => task.candidateGroups.includes('applicant') === applicant);
  });
}

async function recordLiveGeneralInquiry() {
  await withRecordingSystem(async (system) => {
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    const caseworker = await auth.loginStaff(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD);
    if (!company || !caseworker) throw new Error('demo accounts missing');
    const started = await system.services.caseStarts.submit(company, 'general-inquiry', newSubmissionToken(), {
      subject: 'Aufzeichnung',
      message: 'Ein Vorgang für den Replay-Test.',
      contactChannel: 'email',
    });
    if (!started?.ok) throw new Error('case did not start');
    const task = await until(async () => {
      const [open] = await system.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.caseId, started.caseId), eq(tasks.status, 'open')));
      return open;
    });
    await system.services.tasks.complete(caseworker, task.id, newSubmissionToken(), {
      answer: 'Eine echte Antwort per E-Mail.',
    });
    await until(async () => {
      const [row] = await system.db.select().from(cases).where(eq(cases.id, started.caseId));
      return row?.status === 'completed' ? row : undefined;
    });
    const history = await system.temporalClient.workflow.getHandle(started.caseId).fetchHistory();
    await writeFile(path.join(HISTORIES, 'live-general-inquiry.json'), historyToJSON(history));
  });
}

/**
 * A live general inquiry with a Rückfrage (ADR 0017): the caseworker asks, the mail job runs, the company
 * answers, the caseworker completes — the shell's own update, timer and activity in one history.
 */
async function recordLiveRueckfrage() {
  await withRecordingSystem(async (system) => {
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    const caseworker = await auth.loginStaff(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD);
    if (!company || !caseworker) throw new Error('demo accounts missing');
    const started = await system.services.caseStarts.submit(company, 'general-inquiry', newSubmissionToken(), {
      subject: 'Aufzeichnung mit Rückfrage',
      message: 'Ein Vorgang mit Rückfrage für den Replay-Test.',
      contactChannel: 'email',
    });
    if (!started?.ok) throw new Error('case did not start');
    const staffTask = await openTask(system, started.caseId, false);
    await system.temporalClient.workflow.getHandle(started.caseId).executeUpdate(requestInformationUpdate, {
      args: [
        {
          staffTokenId: staffTask.tokenId,
          actor: actorOf(caseworker),
          questions: ['Wie viele Beschäftigte hat Ihr Betrieb?'],
          documents: [],
          message: 'Bitte ergänzen Sie eine Angabe.',
          deadline: addDays(agencyToday(), 14),
        },
      ],
      updateId: newSubmissionToken(),
    });
    const requestTask = await openTask(system, started.caseId, true);
    const answered = await system.services.tasks.complete(company, requestTask.id, newSubmissionToken(), {
      answer1: '42 Beschäftigte',
    });
    if (!answered?.ok) throw new Error('the answer was refused');
    const resumed = await until(async () => {
      const [row] = await system.db.select().from(tasks).where(eq(tasks.id, staffTask.id));
      return row?.waitingSince === null ? row : undefined;
    });
    const completed = await system.services.tasks.complete(caseworker, resumed.id, newSubmissionToken(), {
      answer: 'Danke, damit ist Ihre Anfrage beantwortet.',
    });
    if (!completed?.ok) throw new Error('the staff task was refused');
    await until(async () => {
      const [row] = await system.db.select().from(cases).where(eq(cases.id, started.caseId));
      return row?.status === 'completed' ? row : undefined;
    });
    const history = await system.temporalClient.workflow.getHandle(started.caseId).fetchHistory();
    await writeFile(path.join(HISTORIES, 'live-general-inquiry-rueckfrage.json'), historyToJSON(history));
  });
}

/**
 * A live general inquiry migrated to a version 2 while its answer task is open (ADR 0020): the workflow's
 * `migrate` update, then the task completed on v2 — a history that continues on another model. (Recorded before
 * ADR 0029, v2 changed the answer mail's subject; the shipped general inquiry has no mail now, so v2 renames a step.)
 */
async function recordLiveMigration() {
  await withRecordingSystem(async (system) => {
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    const caseworker = await auth.loginStaff(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD);
    const designer = await auth.loginStaff(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD);
    if (!company || !caseworker || !designer) throw new Error('demo accounts missing');
    const started = await system.services.caseStarts.submit(company, 'general-inquiry', newSubmissionToken(), {
      subject: 'Aufzeichnung mit Migration',
      message: 'Ein Vorgang, der auf Version 2 umzieht.',
      contactChannel: 'email',
    });
    if (!started?.ok) throw new Error('case did not start');
    const task = await openTask(system, started.caseId, false);
    const v1 = await loadServiceFolder(path.join(CATALOG_DIR, 'general-inquiry'));
    const bpmnXml = v1.bpmnXml.replace('name="Anfrage beantworten"', 'name="Anfrage beantworten (Version 2)"');
    const compiled = await compileProcess(bpmnXml);
    if (!compiled.ok) throw new Error('v2 did not compile');
    const contentHash = createHash('sha256').update(bpmnXml).digest('hex');
    const { version } = await system.services.catalog.publish({ ...v1, bpmnXml, model: compiled.model, contentHash });
    const migrations = createMigrationService({
      migrations: createMigrationRepository(system.db),
      catalog: system.services.catalog,
      temporal: system.temporalClient,
    });
    const run = await migrations.migrate(designer, 'general-inquiry', {
      fromVersion: version - 1,
      toVersion: version,
      caseIds: [started.caseId],
      mapping: {},
    });
    if (run?.results[0]?.outcome !== 'migrated') throw new Error('the case did not migrate');
    await system.services.tasks.complete(caseworker, task.id, newSubmissionToken(), {
      answer: 'Eine Antwort auf Version 2.',
    });
    await until(async () => {
      const [row] = await system.db.select().from(cases).where(eq(cases.id, started.caseId));
      return row?.status === 'completed' ? row : undefined;
    });
    const history = await system.temporalClient.workflow.getHandle(started.caseId).fetchHistory();
    await writeFile(path.join(HISTORIES, 'live-general-inquiry-migrated.json'), historyToJSON(history));
  });
}

// `--rueckfrage-only` / `--migration-only`: adds that recording and keeps every other history as it is.
if (process.argv.includes('--rueckfrage-only')) {
  await recordLiveRueckfrage();
} else if (process.argv.includes('--migration-only')) {
  await recordLiveMigration();
} else {
  await rm(HISTORIES, { recursive: true, force: true });
  await mkdir(HISTORIES, { recursive: true });
  const summary = await runScenarioTests({ paths: [CATALOG_DIR], recordHistoriesDir: HISTORIES, root: PROJECT_ROOT });
  if (summary.exitCode !== 0) throw new Error('scenarios failed: histories not recorded');
  await recordLiveGeneralInquiry();
  await recordLiveRueckfrage();
  await recordLiveMigration();
}
console.log(`Recorded histories in ${path.relative(PROJECT_ROOT, HISTORIES)}`);
