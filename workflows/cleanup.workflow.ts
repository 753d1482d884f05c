import { proxyActivities } from '@temporalio/workflow';
import type { CleanupActivities, CleanupSummary } from '../engine/activities/cleanup.activities.js';

const { cleanUp } = proxyActivities<CleanupActivities>({
  // Walking the blob folder of a large installation takes a while; a retry starts the sweep again (it is idempotent).
  startToCloseTimeout: '30 minutes',
  retry: { maximumAttempts: 3 },
});

/** Started daily by the `lotse-cleanup` schedule (engine/temporal/cleanup-schedule.ts): one sweep. */
export async function cleanupWorkflow(): Promise<CleanupSummary> {
  return cleanUp();
}
