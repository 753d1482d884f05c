import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFormRenderer } from '../../forms/render.js';
import { oidcSettingsOf, type Config } from '../config.js';
import { connectDatabase, runMigrations } from '../db/database.js';
import { createLocalBlobStore } from '../files/blob-store.js';
import { embeddedDatabaseUrl, startEmbeddedPostgres } from '../infra/embedded-postgres.js';
import { claimDataFolder } from '../infra/processes.js';
import { supervise, type Supervisor } from '../infra/supervisor.js';
import { resolveTemporalCli } from '../infra/temporal-cli.js';
import { startTemporalDevServer } from '../infra/temporal-dev-server.js';
import { createMailer } from '../mail/mailer.js';
import { createCompanyNotifier } from '../activities/notifications.activities.js';
import { createNotificationRepository } from '../repositories/notification.repository.js';
import { createNotificationSettingsRepository } from '../repositories/company.repository.js';
import { createNotificationSettingsService } from '../services/notification-settings.service.js';
import { ensureNotificationSchedule } from '../temporal/notification-schedule.js';
import { createCaseMessageRepository } from '../repositories/case-message.repository.js';
import { createCaseMessageService } from '../services/case-message.service.js';
import { createMyCasesService } from '../services/my-cases.service.js';
import { createAccountRepository } from '../repositories/account.repository.js';
import { createCaseRepository } from '../repositories/case.repository.js';
import { createIncidentRepository } from '../repositories/incident.repository.js';
import { createMessageRepository } from '../repositories/message.repository.js';
import { createOutboxRepository } from '../repositories/outbox.repository.js';
import { createServiceRepository } from '../repositories/service.repository.js';
import { createLogger, type Logger } from '../log/logger.js';
import { createLoginFailureRepository } from '../repositories/login-failure.repository.js';
import { createAuthService } from '../services/auth.service.js';
import { createLoginService } from '../services/login.service.js';
import { FORGET_FAILURES_AFTER_MS } from '../services/login-throttle.js';
import { ensureCleanupSchedule } from '../temporal/cleanup-schedule.js';
import { createCleanupActivities } from '../activities/cleanup.activities.js';
import { createDocumentRepository } from '../repositories/document.repository.js';
import { createCaseSearchRepository } from '../repositories/case-search.repository.js';
import { createCaseNoteRepository } from '../repositories/case-note.repository.js';
import { createCaseViewService } from '../services/case-view.service.js';
import { createDraftRepository } from '../repositories/draft.repository.js';
import { createCaseService } from '../services/case.service.js';
import { createCaseStartService, type CaseStartService } from '../services/case-start.service.js';
import { createCatalogService, type CatalogService } from '../services/catalog.service.js';
import { createCompanyExportService } from '../services/company-export.service.js';
import { createCompanyProfileService } from '../services/company-profile.service.js';
import { createColleaguesService } from '../services/colleagues.service.js';
import { createCompanyRepository } from '../repositories/company.repository.js';
import { createIncidentService } from '../services/incident.service.js';
import { createMigrationService } from '../services/migration.service.js';
import { createMigrationRepository } from '../repositories/migration.repository.js';
import { createCaseDiagramService } from '../services/case-diagram.service.js';
import { createMessageService } from '../services/message.service.js';
import { createCaseWithdrawalService } from '../services/case-withdrawal.service.js';
import { createDesignerTestRunService, type DraftFiles } from '../services/designer-testrun.service.js';
import { createDesignerTrialService, type DesignerTrialService } from '../services/designer-trial.service.js';
import { createDesignerService, type DesignerService } from '../services/designer.service.js';
import { createServiceFilesRunner, scenarioCaseEraser } from '../scenario/run-service-files.js';
import { createServiceDraftRepository } from '../repositories/service-draft.repository.js';
import { seedDemoAccounts, seedDemoSites, seedGroups } from '../services/seed.js';
import { listServiceFolders, loadServiceFolder } from '../services/service-definition.js';
import { createTaskService } from '../services/task.service.js';
import { createInformationRequestService } from '../services/information-request.service.js';
import { createInboxService } from '../services/inbox.service.js';
import { createInboxRepository } from '../repositories/inbox.repository.js';
import { createSavedFilterRepository } from '../repositories/saved-filter.repository.js';
import { createDashboardService } from '../services/dashboard.service.js';
import { createDashboardRepository } from '../repositories/dashboard.repository.js';
// Staff administration and profile (issue 9, staff part).
import { createPasswordTokenRepository } from '../repositories/password-token.repository.js';
import { createSessionRepository } from '../repositories/session.repository.js';
import { createCompanyUserRepository, createOidcAccountRepository } from '../repositories/company.repository.js';
import { createOidcLoginService } from '../services/oidc-login.service.js';
import { createMailQuotaRepository } from '../repositories/mail-quota.repository.js';
import { MAIL_QUOTA_WINDOW_MS } from '../services/mail-quota.js';
import { createCompanyAccountService } from '../services/company-account.service.js';
import { createStaffAdminService } from '../services/staff-admin.service.js';
import { bundleCaseWorkflows } from '../temporal/case-worker.js';
import { connectClient, connectWorker, type TemporalSettings } from '../temporal/connection.js';
import { installTemporalRuntime } from '../temporal/runtime.js';
import { watchWorkflowHealth } from '../temporal/workflow-health.js';
import { historyEraser } from '../temporal/case-history.js';
import { createCaseErasureRepository } from '../repositories/case-erasure.repository.js';
import { buildBrowserAssets } from '../web/browser-assets.js';
import { createViewRenderer } from '../web/views.js';
import { createLegalPagesService, loadLegalTexts } from '../services/legal-pages.service.js';
import { createDrafting } from './drafting.js';
import { createWebApp } from './server.js';
import { createActivities, runWorker, type RunningWorker } from './worker.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CATALOG_DIR = path.join(PROJECT_ROOT, 'workflows', 'catalog');

export type Log = (message: string) => void;

/** Each /healthz probe gets this long: a dead part must show as down within the 2 s a monitor waits. */
const HEALTH_PROBE_MS = 1000;
/** How often the worker side looks for cases whose workflow did not start (Temporal was down at submit). */
const UNSTARTED_SWEEP_EVERY_MS = 10_000;
/** Younger cases are still being started by their own submit request (bounded by the start deadline). */
const UNSTARTED_MIN_AGE_MS = 10_000;
/** How often failing workflow tasks are mirrored into incidents: Temporal flags them after two failures. */
const WORKFLOW_HEALTH_EVERY_MS = 20_000;

/**
 * The composition root of the one-process system: embedded PostgreSQL and Temporal unless
 * external ones are configured, migrations, catalog and seed, worker and web server.
 * Every dependency is built here, once. The embedded servers and the worker are supervised: one that
 * ends without being stopped is restarted with backoff (same ports, same data); the pg pool and the
 * Temporal connections reconnect by themselves.
 */
export async function startSystem(
  config: Config,
  log: Log = console.log,
  // Request and worker paths log through this one logger (redacting personal fields); `log` is for start-up lines.
  logger: Logger = createLogger({ level: config.LOG_LEVEL ?? (config.NODE_ENV === 'test' ? 'silent' : 'info') }),
) {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((error: unknown) => logger.error({ err: error }, 'stopping a part failed'));
  };
  try {
    const dataDir = path.resolve(config.DATA_DIR);
    if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
      // Embedded servers: whatever of this folder still runs is stopped as a leftover, so claim it first.
      mkdirSync(dataDir, { recursive: true });
      const release = claimDataFolder(dataDir);
      stops.push(async () => release());
    }
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const pgDir = path.join(dataDir, 'pg');
      const postgres = await supervise(
        'PostgreSQL',
        () => startEmbeddedPostgres(pgDir, config.EMBEDDED_PG_PORT, log),
        log,
      );
      stops.push(postgres.stop);
      databaseUrl = embeddedDatabaseUrl(config.EMBEDDED_PG_PORT);
      log(`PostgreSQL (embedded) on 127.0.0.1:${config.EMBEDDED_PG_PORT}, data in ${pgDir}`);
    }
    let temporalAddress = config.TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      const cli = resolveTemporalCli(PROJECT_ROOT, config.TEMPORAL_CLI);
      const devServer = await supervise(
        'Temporal dev server',
        () =>
          startTemporalDevServer({
            cli,
            dbFile: path.join(dataDir, 'temporal.db'),
            port: config.TEMPORAL_DEV_PORT,
            uiPort: config.TEMPORAL_UI_PORT,
            namespace: config.TEMPORAL_NAMESPACE,
            log,
          }),
        log,
      );
      stops.push(devServer.stop);
      temporalAddress = `127.0.0.1:${config.TEMPORAL_DEV_PORT}`;
      log(`Temporal dev server on ${temporalAddress}, Web UI http://127.0.0.1:${config.TEMPORAL_UI_PORT}`);
    }

    const database = connectDatabase(databaseUrl);
    stops.push(database.close);
    await runMigrations(database.pool);
    const { db } = database;

    const serviceRepository = createServiceRepository(db);
    const catalog = createCatalogService({ services: serviceRepository });
    await seedGroups(db);
    for (const folder of await listServiceFolders(CATALOG_DIR)) {
      const definition = await loadServiceFolder(folder);
      const published = await catalog.publish(definition);
      if (published.created) log(`Published ${definition.slug} version ${published.version}`);
    }
    if (config.SEED_DEMO) {
      await seedDemoAccounts(db);
      await seedDemoSites(db);
    }

    const temporal: TemporalSettings = {
      address: temporalAddress,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      apiKey: config.TEMPORAL_API_KEY,
      tls: config.TEMPORAL_TLS,
    };
    const clientConnection = await connectClient(temporal);
    const { client, connection } = clientConnection;
    stops.push(clientConnection.close);

    const cases = createCaseRepository(db);
    const caseService = createCaseService({ cases, catalog });
    const caseStarts = createCaseStartService({ cases, catalog, temporal: client, taskQueue: temporal.taskQueue });
    // Start in steps: drafts, documents, uploads (engine/main/drafting.ts); task forms take uploads too.
    const drafting = createDrafting({ db, config, dataDir, catalog, caseStarts, logger });
    // The inbox (/staff/tasks): its reads, the claims (case repository) and saved filters.
    const inboxRepository = createInboxRepository(db);
    const inboxService = createInboxService({
      inbox: inboxRepository,
      cases,
      savedFilters: createSavedFilterRepository(db),
    });
    const taskService = createTaskService({
      cases,
      catalog,
      temporal: client,
      documents: drafting.documents,
      assignments: inboxRepository,
    });
    const incidents = createIncidentRepository(db);
    const incidentService = createIncidentService({ incidents, temporal: client });
    const caseDiagrams = createCaseDiagramService({ cases: caseService, catalog, incidents: incidentService });
    const messageService = createMessageService({ messages: createMessageRepository(db), temporal: client });
    // Withdrawing a case publishes the reserved message its model waits for (portal/withdraw.routes.ts, ADR 0029).
    const caseWithdrawals = createCaseWithdrawalService({
      cases,
      messages: createMessageRepository(db),
      publisher: messageService,
    });
    const mailer = createMailer(createOutboxRepository(db), config.SMTP_URL, config.MAIL_FROM);
    // Mails to companies (ADR 0030). Links point to PUBLIC_URL, else to where this process listens (known below).
    let listeningUrl = `http://localhost:${config.PORT}`;
    const notifier = createCompanyNotifier({
      cases: createNotificationRepository(db),
      members: createNotificationSettingsRepository(db),
      outbox: createOutboxRepository(db),
      mailer,
      publicUrl: () => config.PUBLIC_URL ?? listeningUrl,
      logger,
    });
    // The same folder as the blob store of uploads (drafting.ts): generated letters are case documents too.
    const blobs = createLocalBlobStore(path.join(dataDir, 'blobs'));
    const activities = {
      ...createActivities(db, mailer, blobs, notifier.notifySafely),
      ...notifier.activities,
      ...createCleanupActivities({
        cases,
        erasure: createCaseErasureRepository(db),
        deleteHistory: historyEraser(client, temporal.namespace),
        defaultRetentionDays: config.CASE_RETENTION_DAYS,
        drafts: createDraftRepository(db),
        documents: createDocumentRepository(db),
        blobs,
        loginFailures: createLoginFailureRepository(db),
        loginFailureMaxAgeMs: FORGET_FAILURES_AFTER_MS,
        mailQuotas: createMailQuotaRepository(db),
        mailQuotaWindowMs: MAIL_QUOTA_WINDOW_MS,
        logger,
      }),
    };

    installTemporalRuntime(logger);
    const bundle = await bundleCaseWorkflows();
    const workerConnection = await connectWorker(temporal);
    stops.push(() => workerConnection.close());
    // Supervised: after a long Temporal outage the SDK gives up polling and the worker ends; it must come back.
    let worker: Supervisor<RunningWorker> | undefined;
    const startWorker = async () => {
      worker ??= await supervise(
        'Temporal worker',
        () =>
          runWorker({
            connection: workerConnection,
            namespace: temporal.namespace,
            taskQueue: temporal.taskQueue,
            bundle,
            activities,
            logger,
          }),
        log,
      );
    };
    const stopWorker = async () => {
      await worker?.stop();
      worker = undefined;
    };
    stops.push(stopWorker);
    await startWorker();
    await ensureCleanupSchedule(client, temporal.taskQueue);
    await ensureNotificationSchedule(client, temporal.taskQueue);
    const resumed = await caseStarts.resumeUnstarted();
    if (resumed > 0) log(`Started the workflows of ${resumed} case(s) whose start was interrupted`);
    stops.push(sweepUnstartedCases(caseStarts, log));
    // A workflow task that keeps failing (a bug in workflow code) shows as an incident within a minute.
    const workflowHealth = watchWorkflowHealth({
      client,
      incidents,
      intervalMs: WORKFLOW_HEALTH_EVERY_MS,
      onError: (error) => log(`[health] ${error instanceof Error ? error.message : String(error)}`),
    });
    stops.push(workflowHealth.stop);

    // Browser scripts (forms-live.js), bundled once from the code this process runs, into a folder of its own.
    const assetsDir = await mkdtemp(path.join(tmpdir(), 'lotse-assets-'));
    stops.push(() => rm(assetsDir, { recursive: true, force: true }));
    await buildBrowserAssets(assetsDir);

    const designer = createDesignerService({
      services: serviceRepository,
      drafts: createServiceDraftRepository(db),
      catalog,
    });
    const trials = createDesignerTrialService({
      db,
      drafts: draftFilesOf(designer, catalog),
      services: serviceRepository,
      catalog,
      cases,
      caseStarts,
      temporal: client,
      erase: scenarioCaseEraser(db, client),
    });
    stops.push(sweepTrials(trials, log));

    // The staff's case search, case page and notes (admin/cases.routes.ts).
    const caseViews = createCaseViewService({
      search: createCaseSearchRepository(db),
      cases,
      notes: createCaseNoteRepository(db),
      documents: createDocumentRepository(db),
      outbox: createOutboxRepository(db),
      catalog,
    });
    const sessionSecret = config.SESSION_SECRET ?? persistentSecret(dataDir);
    const app = createWebApp({
      ...drafting,
      assetsDir,
      pool: database.pool,
      sessionSecret,
      // Login with the company's OpenID Connect account (portal/oidc.routes.ts, ADR 0028); off without OIDC_ISSUER.
      oidcLogin: createOidcLoginService({
        settings: oidcSettingsOf(config),
        accounts: createOidcAccountRepository(db),
        secret: sessionSecret,
        logger,
      }),
      secureCookies: config.NODE_ENV === 'production',
      sessionLimits: { idleMinutes: config.SESSION_IDLE_MINUTES, absoluteHours: config.SESSION_ABSOLUTE_HOURS },
      publicUrl: config.PUBLIC_URL,
      logins: createLoginService({
        auth: createAuthService({ accounts: createAccountRepository(db) }),
        failures: createLoginFailureRepository(db),
      }),
      logger,
      catalog,
      cases: caseService,
      caseStarts,
      tasks: taskService,
      inbox: inboxService,
      caseDiagrams,
      // Rückfrage on any task (admin/information-request.routes.ts, the portal's case and task pages).
      informationRequests: createInformationRequestService({
        cases,
        tasks: taskService,
        documents: drafting.documents,
        temporal: client,
      }),
      dashboard: createDashboardService({ dashboard: createDashboardRepository(db) }),
      caseViews,
      caseWithdrawals,
      // "Meine Vorgänge" and the company's case timeline (portal/my-cases.routes.ts).
      myCases: createMyCasesService({ cases, messages: createCaseMessageRepository(db) }),
      // Messages between a case's company and its caseworkers (portal/messages.routes.ts, admin/case-messages.routes.ts).
      caseMessages: createCaseMessageService({
        messages: createCaseMessageRepository(db),
        documents: drafting.documents,
        // The staff case page's rule: who may see the case may read and write its messages.
        mayView: (member, caseId) => caseViews.mayView(member, caseId),
        mailer,
        notifyCompany: notifier.notifySafely,
        publicUrl: config.PUBLIC_URL,
        logger,
      }),
      staffAdmin: createStaffAdminService({
        accounts: createAccountRepository(db),
        passwordTokens: createPasswordTokenRepository(db),
        sessions: createSessionRepository(db),
        mailer,
        publicUrl: config.PUBLIC_URL,
      }),
      // Registration, verification, password reset and deletion of company accounts (portal/account-access.routes.ts).
      companyAccounts: createCompanyAccountService({
        users: createCompanyUserRepository(db),
        passwordTokens: createPasswordTokenRepository(db),
        mailer,
        mailQuotas: createMailQuotaRepository(db),
        mailQuotaLimits: { perAddress: config.ACCOUNT_MAILS_PER_ADDRESS, perNetwork: config.ACCOUNT_MAILS_PER_NETWORK },
        publicUrl: config.PUBLIC_URL,
      }),
      // The company profile and colleagues (portal/company.routes.ts).
      companyProfiles: createCompanyProfileService({ companies: createCompanyRepository(db) }),
      // The language of a company user's mails and the notifications they receive (portal/notification-settings.routes.ts).
      notificationSettings: createNotificationSettingsService({ settings: createNotificationSettingsRepository(db) }),
      colleagues: createColleaguesService({
        companies: createCompanyRepository(db),
        mailer,
        publicUrl: config.PUBLIC_URL,
      }),
      exports: createCompanyExportService({
        cases: caseService,
        documents: drafting.documents,
        accounts: createAccountRepository(db),
      }),
      incidents: incidentService,
      // Running cases to a newer version (admin/migration.routes.ts, ADR 0020).
      migrations: createMigrationService({
        migrations: createMigrationRepository(db),
        catalog,
        temporal: client,
        logger,
      }),
      // The service designer (admin/designer.routes.ts): drafts, validation, publishing without a restart.
      designer,
      // The designer's test-run (ADR 0021): a draft's scenario files on this system's engine, as lotse test runs them.
      testRuns: createDesignerTestRunService({
        drafts: draftFilesOf(designer, catalog),
        run: createServiceFilesRunner({
          db,
          temporal: client,
          caseStarts,
          messages: messageService,
          warn: (line) => logger.warn(line),
        }),
        onError: (error, slug) => logger.error({ err: error, slug }, 'a designer test-run broke'),
      }),
      // The Probelauf (ADR 0021): a throwaway scenario case of the draft, only for the designer who started it.
      trials,
      // Impressum, privacy notice, accessibility statement and its feedback form (portal/legal.routes.ts, ADR 0032).
      legalPages: createLegalPagesService({
        texts: loadLegalTexts(config.LEGAL_DIR ?? path.join(PROJECT_ROOT, 'config', 'legal')),
        mailer,
        mailQuotas: createMailQuotaRepository(db),
        contact: config.ACCESSIBILITY_CONTACT,
        perNetwork: config.ACCESSIBILITY_FEEDBACK_PER_NETWORK,
      }),
      outbox: createOutboxRepository(db),
      views: createViewRenderer({
        web: fileURLToPath(new URL('../web/views', import.meta.url)),
        portal: path.join(PROJECT_ROOT, 'portal', 'views'),
        admin: path.join(PROJECT_ROOT, 'admin', 'views'),
        designer: path.join(PROJECT_ROOT, 'admin', 'views', 'designer'),
      }),
      forms: createFormRenderer(),
      health: async () => {
        const [databaseOk, temporalOk] = await Promise.all([
          answersWithin(HEALTH_PROBE_MS, () => database.pool.query('select 1')),
          answersWithin(HEALTH_PROBE_MS, () =>
            connection.withDeadline(Date.now() + HEALTH_PROBE_MS, () => connection.healthService.check({})),
          ),
        ]);
        const workerOk = worker?.current() !== undefined;
        return {
          ok: databaseOk && temporalOk && workerOk,
          database: databaseOk ? 'up' : 'down',
          temporal: temporalOk ? 'up' : 'down',
          worker: workerOk ? 'up' : 'down',
        };
      },
    });
    const server: Server = await new Promise((resolve) => {
      const listening = app.listen(config.PORT, () => resolve(listening));
    });
    stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    listeningUrl = `http://localhost:${port}`;

    return {
      url: `http://localhost:${port}`,
      port,
      db,
      pool: database.pool,
      temporalClient: client,
      taskQueue: temporal.taskQueue,
      services: {
        catalog,
        cases: caseService,
        caseStarts,
        tasks: taskService,
        incidents: incidentService,
        caseDiagrams,
        messages: messageService,
      },
      workflowHealth,
      startWorker,
      stopWorker,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export type System = Awaited<ReturnType<typeof startSystem>>;

/**
 * The drafts as the test-run and the Probelauf read them — without a draft, the latest published version, whose
 * tests run and which can be tried as it is — and the test-run adds a test file to them (opening a draft first).
 */
function draftFilesOf(designer: DesignerService, catalog: CatalogService): DraftFiles {
  return {
    files: async (slug) => (await designer.draft(slug))?.files ?? (await catalog.versionFiles(slug))?.files,
    saveFile: async (member, slug, name, content) =>
      (await designer.openDraft(member, slug)) !== undefined &&
      (await designer.saveFile(member, slug, name, content)).ok,
  };
}

/** Probeläufe end a day after they started: looked for every hour (and once now, for those of an earlier run). */
function sweepTrials(trials: DesignerTrialService, log: Log): () => Promise<void> {
  const sweep = () =>
    trials.sweep().catch((error: unknown) => log(`[trials] ${error instanceof Error ? error.message : error}`));
  void sweep();
  const timer = setInterval(() => void sweep(), 60 * 60 * 1000);
  return async () => clearInterval(timer);
}

/** True when `probe` succeeds within `ms`; a hanging probe counts as down (its promise is left to settle). */
function answersWithin(ms: number, probe: () => Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const settle = (ok: boolean) => {
      clearTimeout(timer);
      resolve(ok);
    };
    probe().then(
      () => settle(true),
      () => settle(false),
    );
  });
}

/**
 * Cases whose row exists but whose workflow did not start (Temporal was down at submit, or the process
 * died in between) start as soon as Temporal answers again, not only at the next boot. Returns its stop.
 */
function sweepUnstartedCases(cases: CaseStartService, log: Log): () => Promise<void> {
  let failing = false;
  let sweeping: Promise<void> | undefined;
  const timer = setInterval(() => {
    sweeping ??= cases
      .resumeUnstarted(UNSTARTED_MIN_AGE_MS)
      .then(
        (started) => {
          if (started > 0) log(`[sweep] started the workflows of ${started} case(s) submitted during an outage`);
          failing = false;
        },
        (error: unknown) => {
          // Once per outage: the sweep keeps trying every few seconds.
          if (!failing) log(`[sweep] cases wait for their workflow: ${error instanceof Error ? error.message : error}`);
          failing = true;
        },
      )
      .finally(() => (sweeping = undefined));
  }, UNSTARTED_SWEEP_EVERY_MS);
  return async () => {
    clearInterval(timer);
    await sweeping;
  };
}

/** Without SESSION_SECRET, a random one is kept in the data folder so restarts keep sessions. */
function persistentSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
