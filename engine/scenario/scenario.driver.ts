/**
 * The real engine behind `lotse test`: cases run as case workflows in scenario mode on a Temporal server and
 * project into PostgreSQL like any case. The driver starts them, reads them and acts on them; it decides nothing.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FormSchema } from '../../forms/schema.js';
import {
  caseStateQuery,
  completeTaskUpdate,
  increaseTimeSignal,
  retryIncidentUpdate,
  scenarioJobUpdate,
  waitingJobsQuery,
  type ScenarioJobInput,
} from '../case/contract.js';
import type { ProcessModel } from '../model/process-model.js';
import type { ServiceRepository } from '../repositories/service.repository.js';
import type { CaseStartService } from '../services/case-start.service.js';
import type { MessageService, PublishMessageInput } from '../services/message.service.js';
import type { SignalService } from '../services/signal.service.js';
import { elementInstances } from './element-state.js';
import type { ScenarioReadModel } from './scenario-read-model.js';
import type { CaseView } from './selector.js';

export interface ScenarioService {
  slug: string;
  name: string;
  bpmnXml: string;
  forms: Record<string, FormSchema>;
  model: ProcessModel;
  contentHash: string;
}

/** Who completes tasks in a scenario (the workflow skips actor checks in scenario mode). */
const SCENARIO_ACTOR = { kind: 'staff', id: 'scenario', groups: [] } as const;

export function createScenarioDriver(deps: {
  temporal: Client;
  readModel: ScenarioReadModel;
  services: ServiceRepository;
  caseStarts: CaseStartService;
  messages: MessageService;
  signals: SignalService;
}) {
  const { temporal, readModel, services, caseStarts, messages, signals } = deps;
  const handle = (caseId: string) => temporal.workflow.getHandle(caseId);
  let applicant: Promise<{ companyId: string; userId: string }> | undefined;

  return {
    /** Publishes the service as a version (the same content is the same version) and returns the version's id. */
    async publish(service: ScenarioService): Promise<string> {
      const { version } = await services.publish(
        {
          slug: service.slug,
          titleDe: `Szenario: ${service.name}`,
          titleEn: `Scenario: ${service.name}`,
          summaryDe: 'Von lotse test veröffentlicht.',
          summaryEn: 'Published by lotse test.',
          listed: false,
        },
        { contentHash: service.contentHash, bpmnXml: service.bpmnXml, forms: service.forms, model: service.model },
      );
      return version.id;
    },

    async startCase(serviceVersionId: string, variables: Record<string, unknown>, clockOffsetMs: number) {
      applicant ??= readModel.applicant();
      const { companyId, userId } = await applicant;
      return caseStarts.startScenario({ serviceVersionId, companyId, userId, variables, clockOffsetMs });
    },

    /**
     * The case at one step: live state and waiting jobs from the workflow, the rest from the read model at the
     * same `seq`. A string says why there is no consistent view yet (the projection is a step behind).
     */
    async view(caseId: string, processId: string, model: ProcessModel): Promise<CaseView | string> {
      const state = await handle(caseId).query(caseStateQuery);
      const jobs = await handle(caseId).query(waitingJobsQuery);
      const projected = await readModel.snapshot(caseId);
      if (!projected) return `case ${caseId} is not in the read model`;
      if (projected.seq !== state.seq) {
        return `the read model is at step ${projected.seq}, the case at step ${state.seq}`;
      }
      const tokenIds = new Set(state.tokens.map((token) => token.id));
      return {
        caseId,
        processId,
        model,
        seq: state.seq,
        status: state.status,
        variables: state.variables,
        instances: elementInstances(
          projected.trail,
          state.tokens.map((token) => token.elementId),
        ),
        incidents: state.incidents.map(({ id, elementId, message, resolved }) => ({
          id,
          elementId,
          message,
          resolved,
        })),
        subscriptions: (state.subscriptions ?? []).map(({ elementId, messageName, correlationKey }) => ({
          elementId,
          messageName,
          correlationKey,
        })),
        tasks: projected.tasks.map((task) => ({
          tokenId: task.tokenId,
          elementId: task.elementId,
          status: task.status,
          candidateGroups: task.candidateGroups,
          ...(task.name !== null && { name: task.name }),
          ...(task.assignee !== null && { assignee: task.assignee }),
        })),
        // The job list is read after the state: a job that is not (yet) a token of this step waits for the next view.
        jobs: jobs
          .filter((job) => tokenIds.has(job.tokenId))
          .map(({ tokenId, elementId, taskType }) => ({ tokenId, elementId, taskType })),
        correlatedMessages: projected.correlatedMessages,
      };
    },

    async completeUserTask(caseId: string, tokenId: string, variables: Record<string, unknown>) {
      await handle(caseId).executeUpdate(completeTaskUpdate, {
        args: [{ tokenId, actor: { ...SCENARIO_ACTOR, groups: [] }, data: variables }],
        updateId: randomUUID(),
      });
    },

    async jobOutcome(caseId: string, outcome: ScenarioJobInput) {
      await handle(caseId).executeUpdate(scenarioJobUpdate, { args: [outcome], updateId: randomUUID() });
    },

    async resolveIncident(caseId: string, incidentId: string) {
      await handle(caseId).executeUpdate(retryIncidentUpdate, {
        args: [{ incidentId, actor: 'scenario' }],
        updateId: randomUUID(),
      });
    },

    publishMessage: (input: PublishMessageInput) => messages.publish(input),

    /** A scenario's broadcast reaches the scenario's own cases only: a test never signals real cases. */
    broadcastSignal: (name: string, variables: Record<string, unknown>, caseIds: string[]) =>
      signals.broadcast({ name, variables, reach: { caseIds } }),

    /** Moves a case's clock forward; a case that has ended has no clock left to move. */
    async increaseTime(caseId: string, ms: number) {
      await handle(caseId)
        .signal(increaseTimeSignal, { ms })
        .catch((error: unknown) => {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        });
    },

    /** Ends what a test case leaves running: its workflows, their subscriptions, its unclaimed messages. */
    async finish(caseIds: string[], messageKeys: string[]) {
      for (const caseId of caseIds) {
        await handle(caseId)
          .terminate('lotse test: test case finished')
          .catch((error: unknown) => {
            if (!(error instanceof WorkflowNotFoundError)) throw error;
          });
      }
      await readModel.forget(caseIds, messageKeys);
    },
  };
}

export type ScenarioDriver = ReturnType<typeof createScenarioDriver>;

/** The most specific message of an error: the innermost cause's (a workflow's reason for rejecting an update). */
export function rejectionMessage(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  for (let cause = error instanceof Error ? error.cause : undefined; cause instanceof Error; cause = cause.cause) {
    if (cause.message) message = cause.message;
  }
  return message;
}
