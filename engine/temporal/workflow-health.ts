import type { Client } from '@temporalio/client';
import type { IncidentRepository } from '../repositories/incident.repository.js';

export interface WorkflowHealthWatch {
  /** One pass now: mirror every flagged case into the incidents (tests call it to avoid waiting). */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A workflow task that keeps failing is a bug in workflow code (nothing a user sends can cause one:
 * updates reject with application failures). Temporal retries such a task for ever and flags the
 * workflow itself — the search attribute `TemporalReportedProblems` is set after two consecutive
 * workflow task failures or timeouts and cleared by the next success. This watch mirrors that flag
 * into the incidents administrators see, on the case and in the incident list, and resolves the
 * incident when the workflow runs again (after a fixed deployment).
 */
export function watchWorkflowHealth(deps: {
  client: Client;
  incidents: IncidentRepository;
  intervalMs: number;
  onError: (error: unknown) => void;
}): WorkflowHealthWatch {
  const { client, incidents } = deps;
  // The whole namespace, not this worker's task queue: every watch then agrees on which incidents are open.
  const query = `ExecutionStatus = 'Running' AND TemporalReportedProblems IS NOT NULL`;

  async function sweep() {
    const failing = new Map<string, string>();
    for await (const execution of client.workflow.list({ query })) {
      failing.set(execution.workflowId, await lastFailureOf(client, execution.workflowId, execution.runId));
    }
    await incidents.mirrorWorkflowTaskFailures(failing, new Date());
  }

  let running: Promise<void> = Promise.resolve();
  // Once per outage: while Temporal or the database is away, every pass fails the same way.
  let failing = false;
  const timer = setInterval(() => {
    running = sweep().then(
      () => {
        failing = false;
      },
      (error: unknown) => {
        if (!failing) deps.onError(error);
        failing = true;
      },
    );
  }, deps.intervalMs);
  timer.unref();
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** The reason of the newest failed workflow task: its first line only (a stack trace is for the log). */
async function lastFailureOf(client: Client, workflowId: string, runId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const failures = (history.events ?? []).flatMap((event) => {
    const failure = event.workflowTaskFailedEventAttributes?.failure;
    return failure?.message ? [failure.message] : [];
  });
  const message = failures.at(-1) ?? 'workflow task timed out';
  return message.split('\n')[0]?.slice(0, 300) ?? message;
}
