import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { CompanyUserSession, StaffSession } from '../engine/services/auth.service.js';
import type { System } from '../engine/main/system.js';
import { now, type IterationRecord } from './load.js';
import type { ReadModelWatch } from './read-model-watch.js';
import { pingUpdate, pingWorkflow } from './workflows.js';

export interface Scenario {
  name: string;
  /** Which Temporal client can read the histories of this scenario's workflows. */
  client: Client;
  iterate(): Promise<IterationRecord>;
}

/** (a) Raw Temporal: start the trivial workflow, send it one update, wait for its result. */
export function rawTemporalScenario(client: Client, taskQueue: string): Scenario {
  return {
    name: 'a: raw Temporal',
    client,
    async iterate() {
      const start = now();
      const workflowId = `bench-ping-${randomUUID()}`;
      const handle = await client.workflow.start(pingWorkflow, { workflowId, taskQueue });
      const started = now();
      await handle.executeUpdate(pingUpdate, { args: ['ping'] });
      const updated = now();
      await handle.result();
      const end = now();
      return {
        workflowId,
        start,
        total: end - start,
        marks: { 'start() returned': started - start, 'executeUpdate() returned': updated - start },
      };
    },
  };
}

const INQUIRY = {
  subject: 'Erweiterung unserer Halle',
  message: 'Wir möchten unsere Produktionshalle erweitern. Welche Förderungen gibt es dafür?',
  contactChannel: 'email',
};
const ANSWER = 'Für Ihre Erweiterung kommt das Programm „Regionale Wirtschaftsförderung“ in Frage.';

/**
 * (b) Lotse: a general inquiry submitted and answered through the same service calls the web
 * routes make, until the read model shows the case completed.
 */
export function lotseScenario(
  system: System,
  watch: ReadModelWatch,
  company: CompanyUserSession,
  caseworker: StaffSession,
): Scenario {
  const { caseStarts, tasks } = system.services;
  return {
    name: 'b: Lotse case',
    client: system.temporalClient,
    async iterate() {
      const start = now();
      const submitted = await caseStarts.submit(company, 'general-inquiry', randomUUID(), INQUIRY);
      if (!submitted?.ok) throw new Error(`submit failed: ${JSON.stringify(submitted)}`);
      const submitReturned = now();
      const task = await watch.next('task', submitted.caseId);
      const completeCalled = now();
      const completed = await tasks.complete(caseworker, task.detail, randomUUID(), { answer: ANSWER });
      if (!completed?.ok) throw new Error(`complete failed: ${JSON.stringify(completed)}`);
      const completeReturned = now();
      // The shipped general inquiry sends no mail of its own any more (ADR 0029): the case ends with the answer.
      const done = await watch.next('done', submitted.caseId);
      const end = now();
      return {
        workflowId: submitted.caseId,
        start,
        total: end - start,
        marks: {
          'submit() returned': submitReturned - start,
          'task visible': task.at - start,
          'complete() called': completeCalled - start,
          'complete() returned': completeReturned - start,
          'case completed': done.at - start,
        },
      };
    },
  };
}
