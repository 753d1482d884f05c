import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

/** The workflow type the schedule starts (workflows/cleanup.workflow.ts; the client must not import workflow code). */
const CLEANUP_WORKFLOW = 'cleanupWorkflow';

/** One schedule per task queue, so systems sharing a Temporal namespace (tests, staging) each clean their own data. */
export const cleanupScheduleId = (taskQueue: string) => `lotse-cleanup-${taskQueue}`;

/**
 * The daily clean-up (expired drafts, unreferenced uploads), as a Temporal Schedule: it survives
 * restarts, runs once however many workers there are, and shows in the Temporal UI. Created at
 * worker start; an existing schedule is left as it is (idempotent).
 */
export async function ensureCleanupSchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: cleanupScheduleId(taskQueue),
      // At night, local time: the sweep reads the whole blob folder.
      spec: { calendars: [{ hour: 3, minute: 17 }], timezone: 'Europe/Berlin' },
      action: {
        type: 'startWorkflow',
        workflowType: CLEANUP_WORKFLOW,
        workflowId: `${cleanupScheduleId(taskQueue)}-run`,
        taskQueue,
        args: [],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
