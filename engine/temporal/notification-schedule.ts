import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

/** The workflow type the schedule starts (workflows/notifications.workflow.ts; the client must not import it). */
export const NOTIFICATION_SWEEP_WORKFLOW = 'notificationSweepWorkflow';

/** One schedule per task queue, like the clean-up's (engine/temporal/cleanup-schedule.ts). */
export const notificationScheduleId = (taskQueue: string) => `lotse-notifications-${taskQueue}`;

/**
 * The hourly notification sweep (deadline reminders, undelivered notifications) as a Temporal Schedule, the
 * mechanism of the clean-up: it survives restarts and runs once however many workers there are. Created at worker
 * start; an existing schedule is left as it is.
 */
export async function ensureNotificationSchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: notificationScheduleId(taskQueue),
      spec: { intervals: [{ every: '1 hour', offset: '7 minutes' }] },
      action: {
        type: 'startWorkflow',
        workflowType: NOTIFICATION_SWEEP_WORKFLOW,
        workflowId: `${notificationScheduleId(taskQueue)}-run`,
        taskQueue,
        args: [],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
