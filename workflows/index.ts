// Entry point of the workflow bundle: every workflow type the worker runs.
export { caseWorkflow } from './case.workflow.js';
export { cleanupWorkflow } from './cleanup.workflow.js';
export { notificationSweepWorkflow } from './notifications.workflow.js';
