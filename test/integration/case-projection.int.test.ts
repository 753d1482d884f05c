/**
 * The case projection (engine/repositories/case-projection.repository.ts) on real PostgreSQL: a step is
 * written whole or not at all, a retried step changes nothing and returns the same claimed messages, and a
 * step that arrives after a later one is ignored.
 */
import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { CaseProjection } from '../../engine/activities/types.js';
import type { AuditEntry } from '../../engine/interpreter/types.js';
import { connectDatabase, runMigrations, type DatabaseHandle } from '../../engine/db/database.js';
import { caseEvents, cases, incidents, messages, messageSubscriptions, tasks } from '../../engine/db/schema.js';
import { CATALOG_DIR } from '../../engine/main/system.js';
import { createCaseProjectionRepository } from '../../engine/repositories/case-projection.repository.js';
import { createCaseRepository } from '../../engine/repositories/case.repository.js';
import { createMessageRepository } from '../../engine/repositories/message.repository.js';
import { createServiceRepository } from '../../engine/repositories/service.repository.js';
import { createCatalogService } from '../../engine/services/catalog.service.js';
import { createCompanyWithUser } from '../../engine/services/seed.js';
import { loadServiceFolder } from '../../engine/services/service-definition.js';

let database: DatabaseHandle;
let caseId: string;
const messageName = `projection-${randomUUID()}`;

beforeAll(async () => {
  database = connectDatabase(inject('databaseUrl'), 2);
  await runMigrations(database.pool);
  const { db } = database;
  const definition = await loadServiceFolder(`${CATALOG_DIR}/general-inquiry`);
  const services = createServiceRepository(db);
  await createCatalogService({ services }).publish(definition);
  const service = await services.findBySlug(definition.slug);
  const version = service && (await services.latestVersion(service.id));
  if (!version) throw new Error('general inquiry was not published');
  const suffix = randomUUID().slice(0, 8);
  const { companyId, userId } = await createCompanyWithUser(db, {
    company: `Projektion ${suffix} GmbH`,
    email: `projektion-${suffix}@example.org`,
    name: 'Petra Projektion',
    password: randomUUID(),
  });
  const { row } = await createCaseRepository(db).insertOnce({
    id: randomUUID(),
    year: 2026,
    serviceVersionId: version.id,
    companyId,
    userId,
    submissionToken: randomUUID(),
    subject: 'Projektion',
    publicStatus: null,
    variables: {},
  });
  caseId = row.id;
});
afterAll(async () => {
  await database?.close();
});

function step(seq: number, change: Partial<CaseProjection> = {}): CaseProjection {
  return {
    caseId,
    seq,
    at: new Date(Date.UTC(2026, 0, 1, 10, seq)).toISOString(),
    status: 'active',
    activeElementIds: [],
    variables: { step: seq },
    openedTasks: [],
    closedTasks: [],
    openedSubscriptions: [],
    closedSubscriptionIds: [],
    incidents: [],
    audit: [],
    ...change,
  };
}

const auditEntry = (type: AuditEntry['type'], at: string): AuditEntry => ({
  type,
  elementId: 'review',
  actor: 'system',
  at,
});

/** Step 1 opens a task, raises an incident, writes two audit entries and waits for the buffered message. */
const first = () =>
  step(1, {
    activeElementIds: ['review'],
    openedTasks: [
      { tokenId: 't1', elementId: 'review', candidateGroups: ['wirtschaftsfoerderung'], candidateUsers: [] },
    ],
    openedSubscriptions: [{ subscriptionId: 's1', elementId: 'wait', messageName, correlationKey: 'k-1' }],
    incidents: [{ incidentId: 'i1', elementId: 'mail', message: 'no mail server', at: step(1).at, resolved: false }],
    audit: [auditEntry('elementEntered', step(1).at), auditEntry('incidentRaised', step(1).at)],
  });

/** Step 2 completes the task and resolves the incident. */
const second = () =>
  step(2, {
    activeElementIds: ['done'],
    publicStatus: 'In Prüfung',
    closedTasks: [{ tokenId: 't1', actor: 'staff:someone', outcome: 'completed' }],
    closedSubscriptionIds: ['s1'],
    incidents: [{ incidentId: 'i1', elementId: 'mail', message: 'no mail server', at: step(1).at, resolved: true }],
    audit: [auditEntry('elementCompleted', step(2).at)],
  });

async function readModel() {
  const { db } = database;
  const [caseRow] = await db.select().from(cases).where(eq(cases.id, caseId));
  return {
    seq: caseRow?.seq,
    status: caseRow?.status,
    publicStatus: caseRow?.publicStatus,
    variables: caseRow?.variables,
    tasks: await db
      .select({ tokenId: tasks.tokenId, status: tasks.status, completedBy: tasks.completedBy })
      .from(tasks)
      .where(eq(tasks.caseId, caseId)),
    events: await db
      .select({ seq: caseEvents.seq, type: caseEvents.type })
      .from(caseEvents)
      .where(eq(caseEvents.caseId, caseId))
      .orderBy(asc(caseEvents.seq), asc(caseEvents.position)),
    incidents: await db
      .select({ incidentId: incidents.incidentId, resolvedAt: incidents.resolvedAt })
      .from(incidents)
      .where(eq(incidents.caseId, caseId)),
    subscriptions: await db
      .select({ subscriptionId: messageSubscriptions.subscriptionId })
      .from(messageSubscriptions)
      .where(eq(messageSubscriptions.caseId, caseId)),
    claimed: await db
      .select({ correlatedCaseId: messages.correlatedCaseId, correlatedSeq: messages.correlatedSeq })
      .from(messages)
      .where(eq(messages.name, messageName)),
  };
}

describe('case projection', () => {
  it('writes a step whole and returns the buffered message its new subscription claimed', async () => {
    // Given a buffered message the case will wait for
    await createMessageRepository(database.db).insert({
      name: messageName,
      correlationKey: 'k-1',
      variables: { answer: 42 },
      expiresAt: new Date(Date.now() + 60 * 60_000),
    });
    // When step 1 is projected
    const result = await createCaseProjectionRepository(database.db).project(first());
    // Then the message is claimed for step 1 and every table shows the step
    expect(result.messages).toEqual([{ messageName, correlationKey: 'k-1', variables: { answer: 42 } }]);
    expect(await readModel()).toEqual({
      seq: 1,
      status: 'active',
      publicStatus: null,
      variables: { step: 1 },
      tasks: [{ tokenId: 't1', status: 'open', completedBy: null }],
      events: [
        { seq: 1, type: 'elementEntered' },
        { seq: 1, type: 'incidentRaised' },
      ],
      incidents: [{ incidentId: 'i1', resolvedAt: null }],
      subscriptions: [{ subscriptionId: 's1' }],
      claimed: [{ correlatedCaseId: caseId, correlatedSeq: 1 }],
    });
  });

  it('a retried step changes nothing and returns the same claimed message', async () => {
    const before = await readModel();
    const result = await createCaseProjectionRepository(database.db).project(first());
    expect(result.messages).toEqual([{ messageName, correlationKey: 'k-1', variables: { answer: 42 } }]);
    expect(await readModel()).toEqual(before);
  });

  it('a step that arrives after a later one is ignored', async () => {
    const projection = createCaseProjectionRepository(database.db);
    await projection.project(second());
    const afterSecond = await readModel();
    expect(afterSecond).toMatchObject({
      seq: 2,
      publicStatus: 'In Prüfung',
      tasks: [{ tokenId: 't1', status: 'completed', completedBy: 'staff:someone' }],
      incidents: [{ incidentId: 'i1', resolvedAt: new Date(step(2).at) }],
      subscriptions: [],
    });
    // When step 1 is delivered again (a late retry), the case does not go back
    await projection.project(first());
    expect(await readModel()).toEqual(afterSecond);
  });

  it('a step that fails part-way leaves nothing of it behind', async () => {
    const before = await readModel();
    // The subscription id does not fit its column (varchar 32): the last write of the step fails.
    const failing = step(3, {
      openedTasks: [{ tokenId: 't2', elementId: 'decide', candidateGroups: [], candidateUsers: [] }],
      audit: [auditEntry('elementEntered', step(3).at)],
      incidents: [{ incidentId: 'i2', elementId: 'pdf', message: 'broken', at: step(3).at, resolved: false }],
      openedSubscriptions: [{ subscriptionId: 'x'.repeat(40), elementId: 'wait', messageName, correlationKey: 'k-2' }],
    });
    await expect(createCaseProjectionRepository(database.db).project(failing)).rejects.toThrow();
    expect(await readModel()).toEqual(before);
  });
});
