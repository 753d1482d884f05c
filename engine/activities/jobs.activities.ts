import { ApplicationFailure } from '@temporalio/activity';
import { evaluateExpression, isExpression, stripExpression } from '../feel/feel.js';
import type { Mailer } from '../mail/mailer.js';
import type { SiteRepository } from '../repositories/site.repository.js';
import { matchSites, type SiteSearch } from '../sites/site-matching.js';
import { fillTemplate } from './template.js';
import { NO_IMPLEMENTATION_ERROR, type JobRequest, type JobResult } from './types.js';

/** One implementation per `zeebe:taskDefinition type`. */
export type JobHandler = (job: JobRequest) => Promise<JobResult>;

export function createJobActivities(catalog: Record<string, JobHandler>) {
  return {
    async runJob(job: JobRequest): Promise<JobResult> {
      const handler = Object.hasOwn(catalog, job.taskType) ? catalog[job.taskType] : undefined;
      if (!handler) {
        throw ApplicationFailure.nonRetryable(
          `No implementation for task type "${job.taskType}" (element ${job.elementId}). ` +
            `Known types: ${Object.keys(catalog).join(', ')}`,
          NO_IMPLEMENTATION_ERROR,
        );
      }
      return handler(job);
    },
  };
}

/**
 * Task type `email`. Headers: `to` (address or FEEL expression such as `=applicant.email`),
 * `subject` and `body` (text with `{{variable}}` placeholders).
 */
export function emailJob(mailer: Mailer): JobHandler {
  return async (job) => {
    const context = { ...job.variables, caseNumber: job.caseNumber };
    const to = headerValue(job, 'to', context);
    if (!to) throw ApplicationFailure.nonRetryable(`Element ${job.elementId}: header "to" gives no recipient`);
    await mailer.send({
      idempotencyKey: job.idempotencyKey,
      caseId: job.caseId,
      to,
      subject: fillTemplate(job.headers.subject ?? '', context),
      body: fillTemplate(job.headers.body ?? '', context),
    });
    return { variables: {} };
  };
}

function headerValue(job: JobRequest, name: string, context: Record<string, unknown>): string | undefined {
  const raw = job.headers[name];
  if (raw === undefined) return undefined;
  if (!isExpression(raw)) return raw;
  const value = evaluateExpression(stripExpression(raw), context);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Task type `site-matching`: matches the case's site search against the site catalog. Reads
 * `areaSqm`, `useType`, `municipalities`, `neededBy`, `needsRail`, `needsGigabit`, `maxMotorwayKm`;
 * writes the matches to header `resultVariable` (default `matchedSites`).
 */
export function siteMatchingJob(sites: SiteRepository): JobHandler {
  return async (job) => {
    const search = siteSearchOf(job);
    const matches = matchSites(search, await sites.active(), Number(job.headers.limit ?? 5));
    return { variables: { [job.headers.resultVariable ?? 'matchedSites']: matches } };
  };
}

function siteSearchOf(job: JobRequest): SiteSearch {
  const v = job.variables;
  const areaSqm = Number(v.areaSqm);
  if (!Number.isFinite(areaSqm) || areaSqm <= 0 || typeof v.useType !== 'string') {
    throw ApplicationFailure.nonRetryable(
      `Element ${job.elementId}: site-matching needs a positive number "areaSqm" and a text "useType"`,
    );
  }
  const municipalities = Array.isArray(v.municipalities)
    ? v.municipalities.filter((entry): entry is string => typeof entry === 'string')
    : typeof v.municipalities === 'string' && v.municipalities.trim()
      ? v.municipalities.split(',').map((entry) => entry.trim())
      : [];
  const maxMotorwayKm = Number(v.maxMotorwayKm);
  return {
    areaSqm,
    useType: v.useType,
    municipalities,
    neededBy: typeof v.neededBy === 'string' && v.neededBy ? v.neededBy : undefined,
    needsRail: v.needsRail === true,
    needsGigabit: v.needsGigabit === true,
    maxMotorwayKm: Number.isFinite(maxMotorwayKm) && maxMotorwayKm > 0 ? maxMotorwayKm : undefined,
  };
}
