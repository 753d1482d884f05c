import { WorkflowNotFoundError, type Client } from '@temporalio/client';

/**
 * Deletes a finished case's workflow history (retention). A case whose workflow still runs is left
 * alone (false); one whose history is gone already counts as deleted. Earlier runs of a case that
 * continued as new are closed: the namespace's retention period removes them (README, "Retention").
 */
export function historyEraser(client: Client, namespace: string) {
  return async (caseId: string): Promise<boolean> => {
    try {
      const { status } = await client.workflow.getHandle(caseId).describe();
      if (status.name === 'RUNNING') return false;
      await client.workflowService.deleteWorkflowExecution({ namespace, workflowExecution: { workflowId: caseId } });
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return true;
      throw error;
    }
  };
}
