/**
 * Rückfrage on any task: a caseworker asks the company for missing information from an open staff task,
 * without the model knowing. The workflow shell (workflows/case.workflow.ts) carries it out; this module is
 * its pure part — the rule who may ask what (shared by the route, the update validator and the handler, like
 * the completion rule), the company task's generated form, and how each step changes the case (ADR 0017).
 *
 * The case keeps every Rückfrage in its variable `rueckfragen` (a list, oldest first): the open ones are the
 * shell's whole state, so a continue-as-new carries them, and a model may read the answers
 * (`rueckfragen[1].answers`, `rueckfragen[1].documentIds`).
 */
import type { FormSchema } from '../../forms/schema.js';
import { validateSubmission, type FieldError, type Locale } from '../../forms/validate.js';
import type { InformationRequestProjection, ProjectedAuditEntry, RequestAuditType } from '../activities/types.js';
import type { CaseState, Command, StepResult, Variables } from '../interpreter/types.js';
import { APPLICANT_GROUP, type ProcessModel } from '../model/process-model.js';
import { actorLabel, mayComplete, openUserTask, NOT_ALLOWED, TASK_NOT_OPEN, type Actor } from './task-completion.js';

/** The case variable that holds every Rückfrage of the case. */
export const RUECKFRAGEN_VARIABLE = 'rueckfragen';
/** Token ids of Rückfrage company tasks (never an interpreter token: those are `t<n>`-like and never contain this). */
const TOKEN_PREFIX = 'rueckfrage-';

export const MAX_QUESTIONS = 10;
export const MAX_DOCUMENTS = 10;
export const MAX_TEXT = 2000;
export const MAX_MESSAGE = 5000;
/** The latest deadline one may set, in days from today. */
export const MAX_DEADLINE_DAYS = 365;
export const DEFAULT_DEADLINE_DAYS = 14;

/** Failure types of a rejected Rückfrage update (besides TaskNotOpen and NotAllowed of the completion rule). */
export const INVALID_REQUEST = 'InvalidInformationRequest';
export const ALREADY_WAITING = 'AlreadyWaitingForAnswer';
export const NO_OPEN_REQUEST = 'NoOpenInformationRequest';
/** A staff task waiting for the company's answer cannot be completed (withdraw the Rückfrage first). */
export const AWAITING_ANSWER = 'AwaitingAnswer';

export interface InformationRequestInput {
  /** The staff task's token. */
  staffTokenId: string;
  actor: Actor;
  questions: string[];
  /** Names of the documents asked for. */
  documents: string[];
  message: string;
  /** YYYY-MM-DD, after today. */
  deadline: string;
}

export interface WithdrawInformationRequestInput {
  staffTokenId: string;
  actor: Actor;
}

export type RequestStatus = 'open' | 'answered' | 'withdrawn' | 'expired' | 'cancelled';

/** One Rückfrage as the case variable `rueckfragen[n]` holds it. */
export interface InformationRequest {
  /** 1-based: its place in `rueckfragen`. */
  number: number;
  /** The company task's token id. */
  tokenId: string;
  staffTokenId: string;
  staffElementId: string;
  staffTaskName: string | null;
  questions: string[];
  requestedDocuments: string[];
  message: string;
  deadline: string;
  requestedBy: string;
  requestedAt: string;
  status: RequestStatus;
  /** When it stopped being open (answer, withdrawal, deadline, or the staff task left). */
  closedAt?: string;
  closedBy?: string;
  /** Per question, in order. */
  answers?: string[];
  /** The answer's case documents, all requested documents together. */
  documentIds?: string[];
}

export type RequestFieldError = { field: 'questions' | 'documents' | 'message' | 'deadline'; code: RequestErrorCode };
export type RequestErrorCode =
  'nothingAsked' | 'tooMany' | 'tooLong' | 'deadlineInvalid' | 'deadlinePassed' | 'deadlineTooFar';

export type RequestCheck =
  | { ok: true; staffElementId: string; staffTaskName: string | null; input: InformationRequestInput }
  | {
      ok: false;
      type: typeof TASK_NOT_OPEN | typeof NOT_ALLOWED | typeof ALREADY_WAITING | typeof INVALID_REQUEST;
      message: string;
      errors?: RequestFieldError[];
    };

export interface RequestSnapshot {
  model: ProcessModel;
  state: CaseState;
}

export const isRequestToken = (tokenId: string) => tokenId.startsWith(TOKEN_PREFIX);

export function requestsOf(variables: Variables): InformationRequest[] {
  const list = variables[RUECKFRAGEN_VARIABLE];
  return Array.isArray(list) ? list.filter(isInformationRequest) : [];
}

/** The open Rückfrage on a staff task, if any. */
export function openRequestOn(state: CaseState, staffTokenId: string): InformationRequest | undefined {
  return requestsOf(state.variables).find(
    (request) => request.status === 'open' && request.staffTokenId === staffTokenId,
  );
}

export function openRequestByToken(state: CaseState, tokenId: string): InformationRequest | undefined {
  return requestsOf(state.variables).find((request) => request.status === 'open' && request.tokenId === tokenId);
}

/** The input cleaned: texts trimmed, empty lines dropped. */
export function normalizeRequest(input: InformationRequestInput): InformationRequestInput {
  const lines = (list: unknown) =>
    (Array.isArray(list) ? list : [])
      .filter((line): line is string => typeof line === 'string')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
  return {
    ...input,
    questions: lines(input.questions),
    documents: lines(input.documents),
    message: typeof input.message === 'string' ? input.message.trim() : '',
    deadline: typeof input.deadline === 'string' ? input.deadline.trim() : '',
  };
}

/** What a caseworker filled in, checked field by field (the form's errors; no case needed). */
export function requestFieldErrors(input: InformationRequestInput, today: string): RequestFieldError[] {
  const errors: RequestFieldError[] = [];
  if (input.questions.length === 0 && input.documents.length === 0)
    errors.push({ field: 'questions', code: 'nothingAsked' });
  if (input.questions.length > MAX_QUESTIONS) errors.push({ field: 'questions', code: 'tooMany' });
  else if (input.questions.some((line) => line.length > MAX_TEXT)) errors.push({ field: 'questions', code: 'tooLong' });
  if (input.documents.length > MAX_DOCUMENTS) errors.push({ field: 'documents', code: 'tooMany' });
  else if (input.documents.some((line) => line.length > MAX_TEXT)) errors.push({ field: 'documents', code: 'tooLong' });
  if (input.message.length > MAX_MESSAGE) errors.push({ field: 'message', code: 'tooLong' });
  if (!isDate(input.deadline)) errors.push({ field: 'deadline', code: 'deadlineInvalid' });
  else if (input.deadline <= today) errors.push({ field: 'deadline', code: 'deadlinePassed' });
  else if (input.deadline > addDays(today, MAX_DEADLINE_DAYS))
    errors.push({ field: 'deadline', code: 'deadlineTooFar' });
  return errors;
}

/**
 * Whether `input` may open a Rückfrage now: the staff task is open and not waiting already, the actor may
 * complete it, and the fields are valid against the agency's `today`.
 */
export function checkInformationRequest(
  snapshot: RequestSnapshot,
  raw: InformationRequestInput,
  today: string,
): RequestCheck {
  const input = normalizeRequest(raw);
  const task = openUserTask(snapshot.model, snapshot.state, input.staffTokenId);
  if (!task || isRequestToken(input.staffTokenId)) {
    return { ok: false, type: TASK_NOT_OPEN, message: `Task ${input.staffTokenId} is not open` };
  }
  if (task.assignment.candidateGroups.includes(APPLICANT_GROUP) || input.actor?.kind !== 'staff') {
    return { ok: false, type: NOT_ALLOWED, message: 'Only staff ask from a staff task' };
  }
  if (!mayComplete(input.actor, task.assignment)) {
    return { ok: false, type: NOT_ALLOWED, message: `Task ${input.staffTokenId} is not for this user` };
  }
  if (openRequestOn(snapshot.state, input.staffTokenId)) {
    return { ok: false, type: ALREADY_WAITING, message: `Task ${input.staffTokenId} waits for an answer already` };
  }
  const errors = requestFieldErrors(input, today);
  if (errors.length > 0) return { ok: false, type: INVALID_REQUEST, message: 'Invalid Rückfrage', errors };
  return { ok: true, staffElementId: task.element.id, staffTaskName: task.element.name ?? null, input };
}

/** Whether the actor may withdraw the open Rückfrage on the staff task (the same people who may ask). */
export function checkWithdrawal(
  snapshot: RequestSnapshot,
  input: WithdrawInformationRequestInput,
):
  | { ok: true; request: InformationRequest }
  | { ok: false; type: typeof TASK_NOT_OPEN | typeof NOT_ALLOWED | typeof NO_OPEN_REQUEST; message: string } {
  const task = openUserTask(snapshot.model, snapshot.state, input.staffTokenId);
  if (!task) return { ok: false, type: TASK_NOT_OPEN, message: `Task ${input.staffTokenId} is not open` };
  if (input.actor?.kind !== 'staff' || !mayComplete(input.actor, task.assignment)) {
    return { ok: false, type: NOT_ALLOWED, message: `Task ${input.staffTokenId} is not for this user` };
  }
  const request = openRequestOn(snapshot.state, input.staffTokenId);
  if (!request) return { ok: false, type: NO_OPEN_REQUEST, message: `Task ${input.staffTokenId} waits for nothing` };
  return { ok: true, request };
}

/** The company task's form: a text area per question and an upload per requested document, each required. */
export function requestForm(
  request: Pick<InformationRequest, 'number' | 'questions' | 'requestedDocuments'>,
): FormSchema {
  return {
    id: `rueckfrage-${request.number}`,
    type: 'default',
    schemaVersion: 16,
    components: [
      ...request.questions.map((question, index) => ({
        id: `Rueckfrage_Answer_${index + 1}`,
        type: 'textarea' as const,
        key: answerKey(index),
        label: question,
        validate: { required: true, maxLength: MAX_MESSAGE },
      })),
      ...request.requestedDocuments.map((document, index) => ({
        id: `Rueckfrage_Document_${index + 1}`,
        type: 'filepicker' as const,
        key: documentKey(index),
        label: document,
        multiple: true,
        validate: { required: true },
      })),
    ],
  };
}

const answerKey = (index: number) => `answer${index + 1}`;
const documentKey = (index: number) => `document${index + 1}`;

export type AnswerCheck =
  | { ok: true; request: InformationRequest; answers: string[]; documentIds: string[] }
  | { ok: false; type: typeof TASK_NOT_OPEN | typeof NOT_ALLOWED; message: string }
  | { ok: false; type: 'InvalidSubmission'; message: string; errors: FieldError[] };

/** Whether a company's submission answers the open Rückfrage on `tokenId` (the completion rule for these tasks). */
export function checkAnswer(
  state: CaseState,
  input: { tokenId: string; actor: Actor; data: Record<string, unknown>; locale?: Locale },
  today: string,
): AnswerCheck {
  const request = openRequestByToken(state, input.tokenId);
  if (!request || state.status === 'completed') {
    return { ok: false, type: TASK_NOT_OPEN, message: `Task ${input.tokenId} is not open` };
  }
  if (input.actor?.kind !== 'applicant') {
    return { ok: false, type: NOT_ALLOWED, message: `Task ${input.tokenId} is the company's` };
  }
  const { values, errors } = validateSubmission(requestForm(request), input.data, { today, locale: input.locale });
  if (errors.length > 0) return { ok: false, type: 'InvalidSubmission', message: 'Invalid submission', errors };
  return {
    ok: true,
    request,
    answers: request.questions.map((_, index) => String(values[answerKey(index)] ?? '')),
    documentIds: request.requestedDocuments.flatMap((_, index) => {
      const ids = values[documentKey(index)];
      return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
    }),
  };
}

/** The document ids a submission of this Rückfrage's form names (the service attaches them to the case). */
export function documentIdsOfAnswer(
  request: Pick<InformationRequest, 'requestedDocuments'>,
  data: Record<string, unknown>,
): string[] {
  return request.requestedDocuments.flatMap((_, index) => {
    const ids = data[documentKey(index)];
    const list = Array.isArray(ids) ? ids : ids === undefined ? [] : [ids];
    return list.filter((id): id is string => typeof id === 'string');
  });
}

/** The Rückfrage steps: the new state (seq + 1), with what the projection and the shell carry out. */
export interface RequestStep {
  state: CaseState;
  commands: Command[];
  audit: ProjectedAuditEntry[];
  /** The staff task now waits (its due date pauses) / goes on (its due date moves by the wait). */
  waitingTasks: string[];
  resumedTasks: string[];
  /** The company task opened by this step, with the request it shows. */
  openedRequest?: InformationRequest;
}

/** Opens the Rückfrage: the company task, the staff task waiting, the deadline timer. */
export function openRequest(state: CaseState, check: Extract<RequestCheck, { ok: true }>, at: string): RequestStep {
  const existing = requestsOf(state.variables);
  const number = existing.length + 1;
  const { input } = check;
  const request: InformationRequest = {
    number,
    tokenId: `${TOKEN_PREFIX}${number}`,
    staffTokenId: input.staffTokenId,
    staffElementId: check.staffElementId,
    staffTaskName: check.staffTaskName,
    questions: input.questions,
    requestedDocuments: input.documents,
    message: input.message,
    deadline: input.deadline,
    requestedBy: actorLabel(input.actor),
    requestedAt: at,
    status: 'open',
  };
  const commands: Command[] = [
    {
      type: 'openTask',
      tokenId: request.tokenId,
      elementId: request.staffElementId,
      name: 'Rückfrage',
      candidateGroups: [APPLICANT_GROUP],
      dueDate: deadlineEnd(request.deadline),
    },
    {
      type: 'startTimer',
      timerId: request.tokenId,
      elementId: request.staffElementId,
      dueAt: deadlineEnd(request.deadline),
    },
  ];
  return {
    state: withRequests(state, [...existing, request]),
    commands,
    audit: [auditOf('informationRequested', request, request.requestedBy, at, `bis ${germanDate(request.deadline)}`)],
    waitingTasks: [request.staffTokenId],
    resumedTasks: [],
    openedRequest: request,
  };
}

/** The company answered: answers and documents into the Rückfrage, the staff task goes on. */
export function answerRequest(
  state: CaseState,
  answer: Extract<AnswerCheck, { ok: true }>,
  actor: string,
  at: string,
): RequestStep {
  return closeRequest(state, answer.request, 'answered', actor, at, {
    answers: answer.answers,
    documentIds: answer.documentIds,
  });
}

/**
 * The Rückfrage ends without an answer: `withdrawn` by the caseworker, `expired` at its deadline, or
 * `cancelled` because its staff task was left (the model moved on: a boundary event, a terminate end).
 */
export function closeRequest(
  state: CaseState,
  request: InformationRequest,
  status: Exclude<RequestStatus, 'open'>,
  actor: string,
  at: string,
  answer?: { answers: string[]; documentIds: string[] },
): RequestStep {
  const closed: InformationRequest = { ...request, status, closedAt: at, closedBy: actor, ...answer };
  const requests = requestsOf(state.variables).map((candidate) =>
    candidate.number === request.number ? closed : candidate,
  );
  const commands: Command[] = [
    {
      type: 'closeTask',
      tokenId: request.tokenId,
      elementId: request.staffElementId,
      actor,
      outcome: status === 'answered' ? 'completed' : 'cancelled',
    },
  ];
  // The timer fired itself when it expired; otherwise it is no longer wanted.
  if (status !== 'expired') commands.push({ type: 'cancelTimer', timerId: request.tokenId });
  const auditType = {
    answered: 'informationAnswered',
    withdrawn: 'informationRequestWithdrawn',
    expired: 'informationRequestExpired',
    cancelled: 'informationRequestCancelled',
  } as const;
  const detail = status === 'expired' ? `keine Antwort bis ${germanDate(request.deadline)}` : undefined;
  return {
    state: withRequests(state, requests),
    commands,
    audit: [auditOf(auditType[status], request, actor, at, detail)],
    waitingTasks: [],
    // A cancelled Rückfrage's staff task is gone: nothing goes on.
    resumedTasks: status === 'cancelled' ? [] : [request.staffTokenId],
  };
}

/**
 * After an interpreter step: the Rückfragen whose staff task it closed end as `cancelled` in the same step
 * (same seq), so no company task outlives the task it was asked from. A step without such a task is
 * returned unchanged (every history recorded before Rückfragen existed).
 */
export function settleRequests(
  result: StepResult,
  at: string,
): Omit<StepResult, 'audit'> & { audit: ProjectedAuditEntry[] } {
  const closedTokens = new Set(
    result.commands.flatMap((command) => (command.type === 'closeTask' ? [command.tokenId] : [])),
  );
  const affected = requestsOf(result.state.variables).filter(
    (request) =>
      request.status === 'open' && (closedTokens.has(request.staffTokenId) || result.state.status === 'completed'),
  );
  if (affected.length === 0) return result;
  let state = result.state;
  const commands = [...result.commands];
  const audit: ProjectedAuditEntry[] = [...result.audit];
  for (const request of affected) {
    const closed = closeRequest(state, request, 'cancelled', 'system', at);
    state = closed.state;
    commands.push(...closed.commands);
    audit.push(...closed.audit);
  }
  // The interpreter counted this step already: the seq stays.
  return { state: { ...state, seq: result.state.seq }, commands, audit };
}

/** The open Rückfragen of a state, to restart their deadline timers after a continue-as-new. */
export function openRequests(state: CaseState): InformationRequest[] {
  return requestsOf(state.variables).filter((request) => request.status === 'open');
}

/**
 * The end of the deadline day in the agency's time zone (Europe/Berlin), as an ISO instant: the next day's
 * 00:00 there. Pure: the offset is read for that instant from the time-zone data.
 */
export function deadlineEnd(deadline: string): string {
  const nextDay = addDays(deadline, 1);
  const utcMidnight = Date.parse(`${nextDay}T00:00:00Z`);
  const offsetMinutes = berlinOffsetMinutes(utcMidnight - 2 * 3600_000);
  return new Date(utcMidnight - offsetMinutes * 60_000).toISOString();
}

/**
 * The e-mail to the company: German first, English below (the company's language is not known here). The
 * portal's address is not configured anywhere the worker knows, so it names the way there, as the shipped
 * services' mails do.
 */
export function requestMail(request: InformationRequest, caseNumber: string): { subject: string; body: string } {
  const asked = [
    ...request.questions.map((question) => `- ${question}`),
    ...request.requestedDocuments.map((document) => `- Dokument / document: ${document}`),
  ].join('\n');
  const body = [
    'Guten Tag,',
    '',
    `zu Ihrem Vorgang ${caseNumber} haben wir eine Rückfrage. Bitte beantworten Sie sie bis zum ` +
      `${germanDate(request.deadline)} im Serviceportal unter „Meine Vorgänge“, Vorgang ${caseNumber}, „Rückfrage beantworten“.`,
    '',
    ...(request.message ? [request.message, ''] : []),
    asked,
    '',
    'Mit freundlichen Grüßen',
    'Ihre Wirtschaftsförderung',
    '',
    '---',
    '',
    `We have a request for information on your case ${caseNumber}. Please answer it by ${request.deadline} in the ` +
      `service portal under "My cases", case ${caseNumber}, "Answer the request".`,
  ].join('\n');
  return { subject: `Rückfrage zu Ihrem Vorgang ${caseNumber} / Request for information (${caseNumber})`, body };
}

function withRequests(state: CaseState, requests: InformationRequest[]): CaseState {
  return { ...state, seq: state.seq + 1, variables: { ...state.variables, [RUECKFRAGEN_VARIABLE]: requests } };
}

function auditOf(
  type: RequestAuditType,
  request: InformationRequest,
  actor: string,
  at: string,
  detail?: string,
): ProjectedAuditEntry {
  return {
    type,
    elementId: request.staffElementId,
    elementName: request.staffTaskName ?? undefined,
    actor,
    at,
    ...(detail !== undefined && { detail }),
  };
}

/** What the company task's row keeps of its Rückfrage (the form is generated from it). */
export function projectedRequest(request: InformationRequest): InformationRequestProjection {
  return {
    number: request.number,
    staffTokenId: request.staffTokenId,
    staffTaskName: request.staffTaskName,
    questions: request.questions,
    documents: request.requestedDocuments,
    message: request.message,
    deadline: request.deadline,
    requestedBy: request.requestedBy,
    requestedAt: request.requestedAt,
  };
}

// The variable is the case's own data; a model could overwrite it. Only well-formed entries count.
function isInformationRequest(value: unknown): value is InformationRequest {
  return (
    typeof value === 'object' &&
    value !== null &&
    'tokenId' in value &&
    typeof value.tokenId === 'string' &&
    'staffTokenId' in value &&
    typeof value.staffTokenId === 'string' &&
    'status' in value &&
    typeof value.status === 'string' &&
    'questions' in value &&
    Array.isArray(value.questions) &&
    'requestedDocuments' in value &&
    Array.isArray(value.requestedDocuments)
  );
}

function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function germanDate(day: string): string {
  const [year, month, date] = day.split('-');
  return `${date}.${month}.${year}`;
}

function berlinOffsetMinutes(instant: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)?.value);
  const local = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
  return Math.round((local - instant) / 60_000);
}
