import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { requestInformationUpdate, withdrawInformationRequestUpdate } from '../case/contract.js';
import {
  ALREADY_WAITING,
  DEFAULT_DEADLINE_DAYS,
  INVALID_REQUEST,
  NO_OPEN_REQUEST,
  addDays,
  normalizeRequest,
  requestFieldErrors,
  requestsOf,
  type InformationRequest,
  type RequestFieldError,
} from '../case/information-request.js';
import { NOT_ALLOWED, TASK_NOT_OPEN, actorOf } from '../case/task-completion.js';
import type { CaseRepository } from '../repositories/case.repository.js';
import type { StaffSession } from './auth.service.js';
import type { DocumentService } from './document.service.js';
import type { TaskForPrincipal, TaskService } from './task.service.js';
import { agencyToday } from './today.js';

export type { RequestFieldError };

/** What the caseworker filled in on the task page: one question and one document per line. */
export interface RequestFormInput {
  questions: string;
  documents: string;
  message: string;
  deadline: string;
}

export type AskResult =
  | { ok: true; caseId: string }
  | { ok: false; reason: 'invalid'; errors: RequestFieldError[] }
  /** The task was completed meanwhile, or a Rückfrage was sent from it already (by a colleague, a double submit). */
  | { ok: false; reason: 'notOpen' | 'alreadyWaiting' };

/** One Rückfrage as the staff task page shows it. */
export interface RequestView {
  number: number;
  status: InformationRequest['status'];
  requestedAt: Date;
  requestedBy: string | undefined;
  deadline: string;
  message: string;
  questions: { question: string; answer: string | undefined }[];
  requestedDocuments: string[];
  /** The answer's documents, as case documents. */
  documents: { id: string; name: string; href: string }[];
  closedAt: Date | undefined;
}

export interface StaffRequestsView {
  /** The task is open and waits for nothing: the form to ask is shown. */
  canAsk: boolean;
  /** Today + 14 days, and the earliest date the form accepts (tomorrow). */
  defaultDeadline: string;
  minDeadline: string;
  open: RequestView | undefined;
  past: RequestView[];
}

/** An open Rückfrage of a company's case: its task, for the case page's highlighted notice. */
export interface OpenRequestTask {
  taskId: string;
  requestedAt: Date;
  deadline: string;
  message: string;
}

export interface InformationRequestService {
  staffView(found: TaskForPrincipal): Promise<StaffRequestsView>;
  /** Asks the company from the staff task; undefined (→ 404) when the member may not complete the task. */
  ask(
    member: StaffSession,
    taskId: string,
    submissionToken: string,
    input: RequestFormInput,
  ): Promise<{ found: TaskForPrincipal; result: AskResult } | undefined>;
  /** Withdraws the task's open Rückfrage; undefined (→ 404) when the member may not complete the task. */
  withdraw(
    member: StaffSession,
    taskId: string,
    submissionToken: string,
  ): Promise<{ caseId: string; withdrawn: boolean } | undefined>;
  openForCase(caseId: string): Promise<OpenRequestTask[]>;
}

export interface InformationRequestServiceDeps {
  cases: Pick<CaseRepository, 'tasksOfCase' | 'actorName'>;
  tasks: Pick<TaskService, 'taskFor'>;
  documents: Pick<DocumentService, 'listForCase'>;
  temporal: Client;
}

/** Rückfrage on any task (engine/case/information-request.ts): the staff side and the company's case page. */
export function createInformationRequestService(deps: InformationRequestServiceDeps): InformationRequestService {
  const { cases, tasks, documents, temporal } = deps;

  async function viewOf(request: InformationRequest, caseId: string, names: Map<string, string>): Promise<RequestView> {
    return {
      number: request.number,
      status: request.status,
      requestedAt: new Date(request.requestedAt),
      requestedBy: await cases.actorName(request.requestedBy),
      deadline: request.deadline,
      message: request.message,
      questions: request.questions.map((question, index) => ({ question, answer: request.answers?.[index] })),
      requestedDocuments: request.requestedDocuments,
      documents: (request.documentIds ?? []).map((id) => ({
        id,
        name: names.get(id) ?? id,
        href: `/staff/cases/${caseId}/documents/${id}`,
      })),
      closedAt: request.closedAt ? new Date(request.closedAt) : undefined,
    };
  }

  return {
    async staffView({ task, caseRow }) {
      const requests = requestsOf(caseRow.variables).filter((request) => request.staffTokenId === task.tokenId);
      const names = new Map(
        (await documents.listForCase(caseRow.id)).map((document) => [document.id, document.fileName]),
      );
      const views = await Promise.all(requests.map((request) => viewOf(request, caseRow.id, names)));
      const open = views.find((view) => view.status === 'open');
      const today = agencyToday();
      return {
        canAsk: task.status === 'open' && !open && task.waitingSince === null,
        defaultDeadline: addDays(today, DEFAULT_DEADLINE_DAYS),
        minDeadline: addDays(today, 1),
        open,
        past: views.filter((view) => view.status !== 'open').reverse(),
      };
    },

    async ask(member, taskId, submissionToken, form) {
      const found = await tasks.taskFor(member, taskId);
      if (!found) return undefined;
      const input = normalizeRequest({
        staffTokenId: found.task.tokenId,
        actor: actorOf(member),
        questions: linesOf(form.questions),
        documents: linesOf(form.documents),
        message: form.message,
        deadline: form.deadline,
      });
      const errors = requestFieldErrors(input, agencyToday());
      if (errors.length > 0) return { found, result: { ok: false, reason: 'invalid', errors } };
      if (found.task.status !== 'open') return { found, result: { ok: false, reason: 'notOpen' } };
      try {
        await temporal.workflow
          .getHandle(found.task.caseId)
          .executeUpdate(requestInformationUpdate, { args: [input], updateId: submissionToken });
      } catch (error) {
        const rejection = rejectionOf(error);
        if (rejection?.type === NOT_ALLOWED) return undefined;
        if (rejection?.type === TASK_NOT_OPEN) return { found, result: { ok: false, reason: 'notOpen' } };
        if (rejection?.type === ALREADY_WAITING) return { found, result: { ok: false, reason: 'alreadyWaiting' } };
        if (rejection?.type === INVALID_REQUEST) {
          // Our check passed, the workflow's did not (its today is a moment later): show its errors.
          const details: unknown = rejection.details?.[0];
          const shown = Array.isArray(details) ? details.filter(isRequestFieldError) : [];
          return { found, result: { ok: false, reason: 'invalid', errors: shown } };
        }
        throw error;
      }
      return { found, result: { ok: true, caseId: found.task.caseId } };
    },

    async withdraw(member, taskId, submissionToken) {
      const found = await tasks.taskFor(member, taskId);
      if (!found) return undefined;
      try {
        await temporal.workflow.getHandle(found.task.caseId).executeUpdate(withdrawInformationRequestUpdate, {
          args: [{ staffTokenId: found.task.tokenId, actor: actorOf(member) }],
          updateId: submissionToken,
        });
      } catch (error) {
        const rejection = rejectionOf(error);
        if (rejection?.type === NOT_ALLOWED) return undefined;
        // Answered, expired or withdrawn meanwhile, or the task moved on: nothing to withdraw any more.
        if (rejection?.type === NO_OPEN_REQUEST || rejection?.type === TASK_NOT_OPEN) {
          return { caseId: found.task.caseId, withdrawn: false };
        }
        throw error;
      }
      return { caseId: found.task.caseId, withdrawn: true };
    },

    async openForCase(caseId) {
      return (await cases.tasksOfCase(caseId)).flatMap((task) =>
        task.status === 'open' && task.informationRequest
          ? [
              {
                taskId: task.id,
                requestedAt: new Date(task.informationRequest.requestedAt),
                deadline: task.informationRequest.deadline,
                message: task.informationRequest.message,
              },
            ]
          : [],
      );
    },
  };
}

function linesOf(text: string): string[] {
  return text.split(/\r?\n/);
}

function rejectionOf(error: unknown): ApplicationFailure | undefined {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) return error.cause;
  return undefined;
}

function isRequestFieldError(value: unknown): value is RequestFieldError {
  return typeof value === 'object' && value !== null && 'field' in value && 'code' in value;
}
