import { Context } from '@temporalio/activity';
import type { NativeConnection, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { documentJob } from '../activities/document.job.js';
import { createProjectionActivities, type StepNotifier } from '../activities/projection.activities.js';
import { createJobActivities, emailJob, siteMatchingJob } from '../activities/jobs.activities.js';
import type { BlobStore } from '../files/blob-store.js';
import { createAccountRepository } from '../repositories/account.repository.js';
import { createCaseRepository } from '../repositories/case.repository.js';
import { createDocumentRepository } from '../repositories/document.repository.js';
import { createSignalRepository } from '../repositories/signal.repository.js';
import { createSiteRepository } from '../repositories/site.repository.js';
import { signalBroadcastJob } from '../activities/signal.job.js';
import { SIGNAL_BROADCAST_JOB_TYPE } from '../model/process-model.js';
import { createSignalService } from '../services/signal.service.js';
import type { CaseActivities } from '../activities/types.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../log/logger.js';
import type { Mailer } from '../mail/mailer.js';
import { createCaseWorker } from '../temporal/case-worker.js';

/** The activity catalog: `zeebe:taskDefinition type` → implementation. */
export function createActivities(
  db: Database,
  mailer: Mailer,
  blobs: BlobStore,
  notify?: StepNotifier,
): CaseActivities {
  const { projectCase } = createProjectionActivities(db, notify);
  const { runJob } = createJobActivities({
    email: emailJob(mailer),
    'site-matching': siteMatchingJob(createSiteRepository(db)),
    // Signal throw and end events (ADR 0031): the broadcast goes through the worker's own Temporal client.
    [SIGNAL_BROADCAST_JOB_TYPE]: signalBroadcastJob((input) =>
      createSignalService({ signals: createSignalRepository(db), temporal: Context.current().client }).broadcast(input),
    ),
    document: documentJob({
      cases: createCaseRepository(db),
      companies: createAccountRepository(db),
      documents: createDocumentRepository(db),
      blobs,
    }),
  });
  return { projectCase: heartbeating(projectCase), runJob: heartbeating(runJob) };
}

/** Well within the activities' heartbeat timeout (workflows/case.workflow.ts). */
const HEARTBEAT_EVERY_MS = 2000;

/**
 * Heartbeats while the activity runs. A worker killed mid-activity (kill -9, power loss) then shows
 * within the heartbeat timeout and Temporal retries the attempt elsewhere, instead of after the
 * start-to-close timeout (minutes); activities are idempotent, so the retry does the work once.
 */
function heartbeating<Input, Output>(activity: (input: Input) => Promise<Output>) {
  return async (input: Input): Promise<Output> => {
    const context = Context.current();
    const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
    try {
      return await activity(input);
    } finally {
      clearInterval(timer);
    }
  };
}

export interface RunningWorker {
  /** Settles when the worker has shut down: after `stop()`, or by itself on a fatal error (e.g. a long Temporal outage). */
  ended: Promise<void>;
  stop(): Promise<void>;
}

/** Starts polling; `stop()` drains in-flight tasks and returns when the worker has shut down. */
export async function runWorker(options: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  bundle: WorkflowBundleWithSourceMap;
  activities: CaseActivities;
  logger: Logger;
}): Promise<RunningWorker> {
  const worker: Worker = await createCaseWorker(options);
  const running = worker.run();
  running.catch((error: unknown) => options.logger.error({ err: error }, 'the worker stopped with an error'));
  return {
    ended: running.then(
      () => undefined,
      () => undefined,
    ),
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
    },
  };
}
