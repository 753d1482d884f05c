/**
 * Who may complete a user task, and whether a submission completes it: one pure rule shared by the
 * task service (before it sends the update), the workflow's update validator and the update handler
 * (which re-checks in turn, because a completion valid on arrival may lose the race to another).
 */
import type { FormSchema } from '../../forms/schema.js';
import { validateSubmission, type FieldError, type Locale } from '../../forms/validate.js';
import type { CaseState, Variables } from '../interpreter/types.js';
import { APPLICANT_GROUP, type ProcessModel } from '../model/process-model.js';

export interface Actor {
  kind: 'applicant' | 'staff';
  id: string;
  /** Staff e-mail: what `candidateUsers` and a static `assignee` in a model name. */
  email?: string;
  groups: string[];
}

/** Who may complete a task, as evaluated when it opened (the read model stores a missing assignee as null). */
export interface TaskAssignment {
  candidateGroups: string[];
  candidateUsers?: string[];
  assignee?: string | null;
}

/**
 * The actor as the task rule sees them: their kind, groups, and the names a model may use for them
 * (id, e-mail). `mayComplete` decides on it, and the inbox query is generated from it
 * (engine/repositories/case.repository.ts), so a task list never shows what cannot be completed.
 */
export interface TaskAudience {
  kind: Actor['kind'];
  groups: string[];
  names: string[];
}

export function audienceOf(actor: Actor): TaskAudience {
  return { kind: actor.kind, groups: actor.groups, names: [actor.id, ...(actor.email ? [actor.email] : [])] };
}

/** The signed-in person as an actor of the case (the session's shape, without depending on the web layer). */
export function actorOf(
  principal:
    { kind: 'staff'; staffId: string; email: string; groups: string[] } | { kind: 'applicant'; userId: string },
): Actor {
  return principal.kind === 'staff'
    ? { kind: 'staff', id: principal.staffId, email: principal.email, groups: principal.groups }
    : { kind: 'applicant', id: principal.userId, groups: [] };
}

export interface CompleteTaskInput {
  tokenId: string;
  actor: Actor;
  data: Record<string, unknown>;
  /** The language the form was filled in (how its numbers are read); absent in older histories. */
  locale?: Locale;
}

/** Failure types of a rejected completion (the update's `ApplicationFailure.type`). */
export const TASK_NOT_OPEN = 'TaskNotOpen';
export const NOT_ALLOWED = 'NotAllowed';
/** `details[0]` holds the field errors. */
export const INVALID_SUBMISSION = 'InvalidSubmission';

export type CompletionCheck =
  | { ok: true; variables: Variables }
  | { ok: false; type: typeof TASK_NOT_OPEN | typeof NOT_ALLOWED; message: string }
  | { ok: false; type: typeof INVALID_SUBMISSION; message: string; errors: FieldError[] };

export interface CaseSnapshot {
  model: ProcessModel;
  /** The version's forms by id. */
  forms: Record<string, FormSchema>;
  state: CaseState;
  /** Scenario runs (`lotse test`) complete tasks as the scenario says: no actor or form check. */
  scenario?: boolean;
}

/**
 * Whether `input` completes the task now, and with which variables: only what the task's form
 * defines is taken (no mass assignment), validated against the case's variables and the agency's
 * `today` (YYYY-MM-DD).
 */
export function checkCompletion(snapshot: CaseSnapshot, input: CompleteTaskInput, today: string): CompletionCheck {
  const task = openUserTask(snapshot.model, snapshot.state, input.tokenId);
  if (!task) return { ok: false, type: TASK_NOT_OPEN, message: `Task ${input.tokenId} is not open` };
  if (snapshot.scenario) return { ok: true, variables: input.data };
  if (!mayComplete(input.actor, task.assignment)) {
    return { ok: false, type: NOT_ALLOWED, message: `Task ${input.tokenId} is not for this user` };
  }
  const form = task.element.formId ? snapshot.forms[task.element.formId] : undefined;
  if (!form) return { ok: true, variables: {} };
  const { values, errors } = validateSubmission(form, input.data, {
    context: snapshot.state.variables,
    today,
    locale: input.locale,
  });
  return errors.length > 0
    ? { ok: false, type: INVALID_SUBMISSION, message: 'Invalid submission', errors }
    : { ok: true, variables: values };
}

/**
 * The open user task on this token: not a scope token (a multi-instance body carries its task's
 * element id too), and not waiting on an incident (the interpreter refuses to complete it then).
 */
export function openUserTask(model: ProcessModel, state: CaseState, tokenId: string) {
  if (state.status === 'completed') return undefined;
  const token = state.tokens.find((candidate) => candidate.id === tokenId && candidate.role === undefined);
  const element = token ? model.elements[token.elementId] : undefined;
  if (!token?.assignment || element?.kind !== 'userTask') return undefined;
  if (state.incidents.some((incident) => incident.tokenId === tokenId && !incident.resolved)) return undefined;
  return { element, assignment: token.assignment };
}

/** Applicant tasks are for the company only; staff tasks for their candidate groups, candidate users or assignee. */
export function mayComplete(actor: Actor, { candidateGroups, candidateUsers = [], assignee }: TaskAssignment): boolean {
  const { kind, groups, names } = audienceOf(actor);
  if (candidateGroups.includes(APPLICANT_GROUP)) return kind === 'applicant';
  if (kind !== 'staff') return false;
  return (
    (typeof assignee === 'string' && names.includes(assignee)) ||
    candidateUsers.some((user) => names.includes(user)) ||
    groups.some((group) => candidateGroups.includes(group))
  );
}

/** How the audit trail and the read model name an actor: `staff:<id>` or `applicant:<id>`. */
export function actorLabel(actor: Pick<Actor, 'kind' | 'id'>): string {
  return `${actor.kind}:${actor.id}`;
}
