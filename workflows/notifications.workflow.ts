import { proxyActivities } from '@temporalio/workflow';
import type {
  NotificationActivities,
  NotificationSweepSummary,
} from '../engine/activities/notifications.activities.js';

const { sweepNotifications } = proxyActivities<NotificationActivities>({
  // Each reminder is idempotent by task and recipient: a retried sweep sends nothing twice.
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 3 },
});

/**
 * Started hourly by the `lotse-notifications` schedule (engine/temporal/notification-schedule.ts): deadline
 * reminders for company tasks and a new try for undelivered notifications (ADR 0030).
 */
export async function notificationSweepWorkflow(): Promise<NotificationSweepSummary> {
  return sweepNotifications();
}
