import type { CaseMigrationProjection, CaseProjection, ProjectedAuditEntry } from '../activities/types.js';
import type { CaseState, Command } from '../interpreter/types.js';
import { projectedRequest, type InformationRequest } from './information-request.js';

/** One step of the case: an interpreter step, or a Rückfrage step of the workflow shell (information-request.ts). */
export interface ProjectedStep {
  state: CaseState;
  commands: Command[];
  audit: ProjectedAuditEntry[];
  waitingTasks?: string[];
  resumedTasks?: string[];
  openedRequest?: InformationRequest;
  migration?: CaseMigrationProjection;
}

/** What one step changes in the read model: the projection activity's input (engine/activities/projection.activities.ts). */
export function projectionOf(
  caseId: string,
  { state, commands, audit, waitingTasks, resumedTasks, openedRequest, migration }: ProjectedStep,
  at: string,
): CaseProjection {
  return {
    caseId,
    seq: state.seq,
    at,
    status: state.status,
    publicStatus: state.publicStatus,
    activeElementIds: state.tokens.map((token) => token.elementId),
    variables: state.variables,
    openedTasks: commands.flatMap((command) =>
      command.type === 'openTask'
        ? [
            {
              tokenId: command.tokenId,
              elementId: command.elementId,
              name: command.name,
              formId: command.formId,
              candidateGroups: command.candidateGroups,
              candidateUsers: command.candidateUsers ?? [],
              assignee: command.assignee,
              dueDate: command.dueDate,
              followUpDate: command.followUpDate,
              priority: command.priority,
              ...(openedRequest?.tokenId === command.tokenId && {
                informationRequest: projectedRequest(openedRequest),
              }),
            },
          ]
        : [],
    ),
    closedTasks: commands.flatMap((command) =>
      command.type === 'closeTask'
        ? [{ tokenId: command.tokenId, actor: command.actor, outcome: command.outcome ?? 'completed' }]
        : [],
    ),
    openedSubscriptions: commands.flatMap((command) =>
      command.type === 'openSubscription'
        ? [
            {
              subscriptionId: command.subscriptionId,
              elementId: command.elementId,
              messageName: command.messageName,
              correlationKey: command.correlationKey,
            },
          ]
        : [],
    ),
    closedSubscriptionIds: commands.flatMap((command) =>
      command.type === 'closeSubscription' ? [command.subscriptionId] : [],
    ),
    incidents: state.incidents.map(({ id, elementId, message, at: raisedAt, resolved }) => ({
      incidentId: id,
      elementId,
      message,
      at: raisedAt,
      resolved,
    })),
    audit,
    // Only Rückfrage steps carry these: the activity input of every older step keeps its shape.
    ...(waitingTasks && waitingTasks.length > 0 && { waitingTasks }),
    ...(resumedTasks && resumedTasks.length > 0 && { resumedTasks }),
    ...(migration && { migration }),
    ...signalSubscriptionsOf(commands),
  };
}

/** Only steps of cases with signals carry these: the activity input of every other step keeps its shape. */
function signalSubscriptionsOf(
  commands: Command[],
): Pick<CaseProjection, 'openedSignalSubscriptions' | 'closedSignalSubscriptionIds'> {
  const opened = commands.flatMap((command) =>
    command.type === 'openSignalSubscription'
      ? [{ subscriptionId: command.subscriptionId, elementId: command.elementId, signalName: command.signalName }]
      : [],
  );
  const closed = commands.flatMap((command) =>
    command.type === 'closeSignalSubscription' ? [command.subscriptionId] : [],
  );
  return {
    ...(opened.length > 0 && { openedSignalSubscriptions: opened }),
    ...(closed.length > 0 && { closedSignalSubscriptionIds: closed }),
  };
}
