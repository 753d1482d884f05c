/**
 * The Probelauf (issue 10, ADR 0021): the designer's draft, published as an unlisted trial version, runs one
 * throwaway case that the designer clicks through as company (start form, company tasks) and as caseworker (staff
 * tasks). The case runs in scenario mode: jobs (e-mail, documents, HTTP calls) wait until the designer completes
 * them on the page, so no mail leaves the system; the workflow skips its actor checks, so this service checks the
 * forms itself and acts only on the case the member started. Its submission token marks it as a scenario case,
 * which no staff list shows (inbox, case search, dashboard) and whose company is the trial company nobody logs in as.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { FormSchema } from '../../forms/schema.js';
import { validateSubmission, type FieldError, type Locale } from '../../forms/validate.js';
import { caseStateQuery, completeTaskUpdate, scenarioJobUpdate, waitingJobsQuery } from '../case/contract.js';
import { actorOf } from '../case/task-completion.js';
import type { Database } from '../db/database.js';
import { definitionFromFiles } from '../designer/service-files.js';
import { APPLICANT_GROUP, type ProcessModel } from '../model/process-model.js';
import { createAccountRepository } from '../repositories/account.repository.js';
import type { CaseRepository } from '../repositories/case.repository.js';
import type { ServiceRepository } from '../repositories/service.repository.js';
import type { StaffSession } from './auth.service.js';
import type { CaseStartService } from './case-start.service.js';
import { startStepsOf, type CatalogService } from './catalog.service.js';
import type { DraftFiles } from './designer-testrun.service.js';
import { createCompanyWithUser } from './seed.js';
import { validateStart } from './start-validation.js';
import { taskFormValues } from './task.service.js';
import { agencyToday } from './today.js';

/** A Probelauf ends by itself a day after it started (at the next sweep). */
export const TRIAL_LIFETIME_MS = 24 * 60 * 60 * 1000;

export const TRIAL_COMPANY = 'Probelauf (Leistungsdesigner)';
export const TRIAL_USER_EMAIL = 'probelauf@lotse.invalid';

interface Trial {
  caseId: string;
  number: string;
  versionId: string;
  startedAt: Date;
}

export interface TrialTask {
  tokenId: string;
  elementId: string;
  name: string;
  /** A company task (candidate group `applicant`): the designer acts as the company. */
  asCompany: boolean;
}

export interface TrialOverview {
  number: string;
  startedAt: Date;
  status: 'active' | 'completed' | 'incident';
  /** Where the case stands, by element name (or id). */
  activeElements: string[];
  openTasks: TrialTask[];
  doneTasks: TrialTask[];
  /** Jobs waiting to be completed by the designer (in a real case the worker runs them). */
  jobs: { tokenId: string; elementId: string; name: string; taskType: string }[];
  incidents: string[];
}

export type TrialStart =
  | { ok: true }
  | { ok: false; reason: 'problems'; problems: string[] }
  | { ok: false; reason: 'invalid'; errors: FieldError[]; values: Record<string, unknown> };

export interface DesignerTrialService {
  /** The draft compiled for a Probelauf: its start forms, or why it does not compile; undefined: no draft. */
  prepare(
    slug: string,
  ): Promise<{ ok: true; startForms: FormSchema[] } | { ok: false; problems: string[] } | undefined>;
  /** Publishes the draft as a trial version and starts the member's trial case with the start forms' input. */
  start(member: StaffSession, slug: string, input: Record<string, unknown>, locale: Locale): Promise<TrialStart>;
  /** The member's trial case of this service; undefined: none. */
  overview(member: StaffSession, slug: string): Promise<TrialOverview | undefined>;
  /** An open task of the member's trial case with its form and the values it starts with. */
  task(
    member: StaffSession,
    slug: string,
    tokenId: string,
  ): Promise<
    | { task: TrialTask; form?: FormSchema; values: Record<string, unknown>; context: Record<string, unknown> }
    | undefined
  >;
  completeTask(
    member: StaffSession,
    slug: string,
    tokenId: string,
    input: Record<string, unknown>,
    locale: Locale,
  ): Promise<{ ok: true } | { ok: false; errors: FieldError[]; values: Record<string, unknown> } | undefined>;
  /** Completes a waiting job as its worker would, with the output it gives; false: no such job of the member's trial. */
  completeJob(
    member: StaffSession,
    slug: string,
    tokenId: string,
    variables: Record<string, unknown>,
  ): Promise<boolean>;
  /** "Probelauf beenden": the case ends and is deleted. */
  end(member: StaffSession, slug: string): Promise<boolean>;
  /** Ends every trial older than a day; the number ended. */
  sweep(): Promise<number>;
}

export function createDesignerTrialService(deps: {
  db: Database;
  drafts: Pick<DraftFiles, 'files'>;
  services: ServiceRepository;
  catalog: CatalogService;
  cases: CaseRepository;
  caseStarts: CaseStartService;
  temporal: Client;
  /** Terminates nothing: deletes a case that has ended (read model and history), as the test-run does. */
  erase: (caseId: string) => Promise<void>;
  clock?: () => Date;
}): DesignerTrialService {
  const { temporal } = deps;
  const clock = deps.clock ?? (() => new Date());
  const accounts = createAccountRepository(deps.db);
  // One trial per member and service. In memory: a restart forgets them, and the sweep at start deletes their cases.
  const trials = new Map<string, Trial>();
  const keyOf = (member: StaffSession, slug: string) => `${member.staffId}\n${slug}`;
  let applicant: Promise<{ companyId: string; userId: string }> | undefined;
  /** The trial company's user, looked up (or created) once; a failed attempt is tried again next time. */
  const trialCompany = () =>
    (applicant ??= trialApplicant().catch((error: unknown) => {
      applicant = undefined;
      throw error;
    }));

  async function trialApplicant() {
    const find = async () => {
      const row = await accounts.findUserByEmail(TRIAL_USER_EMAIL);
      return row && { companyId: row.companyId, userId: row.user.id };
    };
    const existing = await find();
    if (existing) return existing;
    try {
      // Nobody logs in as this user: the password is random and thrown away.
      return await createCompanyWithUser(deps.db, {
        company: TRIAL_COMPANY,
        email: TRIAL_USER_EMAIL,
        name: 'Probelauf',
        password: randomBytes(24).toString('base64url'),
      });
    } catch (error) {
      const created = await find();
      if (created) return created;
      throw error;
    }
  }

  async function compile(slug: string) {
    const files = await deps.drafts.files(slug);
    if (files === undefined) return undefined;
    try {
      return { ok: true as const, definition: await definitionFromFiles(files) };
    } catch (error) {
      return { ok: false as const, problems: [error instanceof Error ? error.message : String(error)] };
    }
  }

  async function terminate(caseId: string) {
    await temporal.workflow
      .getHandle(caseId)
      .terminate('Probelauf beendet')
      .catch((error: unknown) => {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      });
  }

  async function endTrial(key: string, trial: Trial) {
    trials.delete(key);
    await terminate(trial.caseId);
    await deps.erase(trial.caseId);
  }

  /** The member's trial with its version; a trial whose case is gone (deleted) is forgotten. */
  async function trialOf(member: StaffSession, slug: string) {
    const key = keyOf(member, slug);
    const trial = trials.get(key);
    if (!trial) return undefined;
    const row = await deps.cases.findById(trial.caseId);
    const version = row && (await deps.catalog.version(trial.versionId));
    if (!row || !version) {
      trials.delete(key);
      return undefined;
    }
    return { trial, row, version };
  }

  const taskOf = (
    model: { elements: Record<string, { name?: string }> },
    task: { tokenId: string; elementId: string; name: string | null; candidateGroups: string[] },
  ): TrialTask => ({
    tokenId: task.tokenId,
    elementId: task.elementId,
    name: task.name ?? model.elements[task.elementId]?.name ?? task.elementId,
    asCompany: task.candidateGroups.includes(APPLICANT_GROUP),
  });

  async function openTask(member: StaffSession, slug: string, tokenId: string) {
    const found = await trialOf(member, slug);
    if (!found) return undefined;
    const task = (await deps.cases.tasksOfCase(found.trial.caseId)).find(
      (candidate) => candidate.tokenId === tokenId && candidate.status === 'open',
    );
    if (!task) return undefined;
    const form = task.formId ? found.version.forms[task.formId] : undefined;
    const context = found.row.variables;
    return {
      caseId: found.trial.caseId,
      task: taskOf(found.version.model, task),
      ...(form && { form }),
      values: form ? taskFormValues(form, context) : {},
      context,
    };
  }

  return {
    async prepare(slug) {
      const compiled = await compile(slug);
      if (!compiled) return undefined;
      if (!compiled.ok) return compiled;
      return { ok: true, startForms: startStepsOf(compiled.definition).map((step) => step.form) };
    },

    async start(member, slug, input, locale) {
      const compiled = await compile(slug);
      if (!compiled) return { ok: false, reason: 'problems', problems: [] };
      if (!compiled.ok) return { ok: false, reason: 'problems', problems: compiled.problems };
      const { definition } = compiled;
      const { values, invalidSteps } = validateStart(definition, input, { locale });
      if (invalidSteps.length > 0) {
        return { ok: false, reason: 'invalid', errors: invalidSteps.flatMap((step) => step.errors), values };
      }
      // An earlier trial of this member and service ends first: one throwaway case at a time.
      const key = keyOf(member, slug);
      const earlier = trials.get(key);
      if (earlier) await endTrial(key, earlier);
      const { version } = await deps.services.publish(
        {
          slug: trialSlug(slug),
          titleDe: `Probelauf: ${definition.title.de}`,
          titleEn: `Trial run: ${definition.title.en}`,
          summaryDe: 'Probelauf aus dem Leistungsdesigner.',
          summaryEn: 'Trial run from the service designer.',
          listed: false,
        },
        {
          contentHash: definition.contentHash,
          bpmnXml: definition.bpmnXml,
          forms: definition.forms,
          dmn: definition.dmn,
          model: trialModel(definition.model),
          start: definition.start,
          files: definition.files,
          publishedBy: member.staffId,
        },
      );
      const { companyId, userId } = await trialCompany();
      const started = await deps.caseStarts.startScenario({
        serviceVersionId: version.id,
        companyId,
        userId,
        variables: values,
      });
      trials.set(key, { caseId: started.caseId, number: started.number, versionId: version.id, startedAt: clock() });
      return { ok: true };
    },

    async overview(member, slug) {
      const found = await trialOf(member, slug);
      if (!found) return undefined;
      const { trial, row, version } = found;
      const model = version.model;
      const handle = temporal.workflow.getHandle(trial.caseId);
      const [state, jobs] = await Promise.all([
        handle.query(caseStateQuery).catch(() => undefined),
        handle.query(waitingJobsQuery).catch(() => []),
      ]);
      const tasks = (await deps.cases.tasksOfCase(trial.caseId)).map((task) => ({
        row: task,
        view: taskOf(model, task),
      }));
      const tokens = new Set(state?.tokens.map((token) => token.id) ?? []);
      return {
        number: trial.number,
        startedAt: trial.startedAt,
        status: row.status,
        // From the workflow's tokens: where the case stands now, whatever the read model has projected so far.
        activeElements: [...new Set(state?.tokens.map((token) => token.elementId) ?? [])].map(
          (id) => model.elements[id]?.name ?? id,
        ),
        openTasks: tasks.filter((task) => task.row.status === 'open').map((task) => task.view),
        doneTasks: tasks.filter((task) => task.row.status === 'completed').map((task) => task.view),
        jobs: jobs
          .filter((job) => tokens.has(job.tokenId))
          .map((job) => ({
            tokenId: job.tokenId,
            elementId: job.elementId,
            name: model.elements[job.elementId]?.name ?? job.elementId,
            taskType: job.taskType,
          })),
        incidents: (state?.incidents ?? [])
          .filter((incident) => !incident.resolved)
          .map((incident) => incident.message),
      };
    },

    task: openTask,

    async completeTask(member, slug, tokenId, input, locale) {
      const found = await openTask(member, slug, tokenId);
      if (!found) return undefined;
      const result = found.form
        ? validateSubmission(found.form, input, { context: found.context, today: agencyToday(), locale })
        : { values: {}, errors: [] };
      if (result.errors.length > 0) return { ok: false, errors: result.errors, values: result.values };
      // The workflow in scenario mode takes the data as given: it was checked against the task's form just now.
      try {
        await temporal.workflow.getHandle(found.caseId).executeUpdate(completeTaskUpdate, {
          args: [{ tokenId, actor: actorOf(member), data: result.values, locale }],
          updateId: randomUUID(),
        });
      } catch (error) {
        // Completed meanwhile (a second click): the task is no longer there to complete.
        if (error instanceof WorkflowUpdateFailedError) return undefined;
        throw error;
      }
      return { ok: true };
    },

    async completeJob(member, slug, tokenId, variables) {
      const found = await trialOf(member, slug);
      if (!found) return false;
      const handle = temporal.workflow.getHandle(found.trial.caseId);
      const waiting = await handle.query(waitingJobsQuery);
      if (!waiting.some((job) => job.tokenId === tokenId)) return false;
      try {
        await handle.executeUpdate(scenarioJobUpdate, {
          args: [{ tokenId, outcome: 'complete', variables }],
          updateId: randomUUID(),
        });
      } catch (error) {
        if (error instanceof WorkflowUpdateFailedError) return false;
        throw error;
      }
      return true;
    },

    async end(member, slug) {
      const key = keyOf(member, slug);
      const trial = trials.get(key);
      if (!trial) return false;
      await endTrial(key, trial);
      return true;
    },

    async sweep() {
      const before = clock().getTime() - TRIAL_LIFETIME_MS;
      let ended = 0;
      for (const [key, trial] of [...trials]) {
        if (trial.startedAt.getTime() > before) continue;
        await endTrial(key, trial);
        ended++;
      }
      // Trials of an earlier run of the process (the map was lost): their cases are the trial company's.
      const { companyId } = await trialCompany();
      for (const row of await deps.cases.listForCompany(companyId)) {
        if (row.createdAt.getTime() > before) continue;
        await terminate(row.id);
        await deps.erase(row.id);
        ended++;
      }
      return ended;
    },
  };
}

/**
 * The group a trial's staff tasks are for instead of the model's: no staff member can hold it (a group id has no
 * colon), so no inbox and no task page ever offers them — the designer completes them on the trial's own pages.
 */
export const TRIAL_STAFF_GROUP = 'probelauf:designer';

/** The model a trial runs: staff tasks go to `TRIAL_STAFF_GROUP`, with no assignee or candidate users. */
export function trialModel(model: ProcessModel): ProcessModel {
  const elements: ProcessModel['elements'] = {};
  for (const [id, element] of Object.entries(model.elements)) {
    if (element.kind !== 'userTask' || element.candidateGroups.includes(APPLICANT_GROUP)) {
      elements[id] = element;
      continue;
    }
    const { assignee: _assignee, candidateUsers: _users, expressions, ...task } = element;
    const { assignee: _a, candidateGroups: _g, candidateUsers: _u, ...timing } = expressions ?? {};
    elements[id] = {
      ...task,
      candidateGroups: [TRIAL_STAFF_GROUP],
      ...(Object.keys(timing).length > 0 && { expressions: timing }),
    };
  }
  return { ...model, elements };
}

/** The unlisted service a draft's trial versions are published under; never the draft's own service. */
export function trialSlug(slug: string): string {
  const hash = createHash('sha256').update(slug).digest('hex').slice(0, 8);
  return `probelauf-${slug}`.slice(0, 80 - 9) + `-${hash}`;
}
