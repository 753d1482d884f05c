import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { and, asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, documents, outboxMails, tasks } from '../../engine/db/schema.js';
import type { StaffSession } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { newApplicant, openTaskAt, staffSessionOf, submitPermitGuidance } from '../journeys.js';
import { eventually, startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

const DATA_DIR = `/tmp/lotse-test-data-${randomUUID()}`;

let system: System;

beforeAll(async () => {
  system = await startTestSystem({ DATA_DIR });
});

afterAll(async () => {
  await system?.stop();
});

async function openElementsOf(caseId: string) {
  const rows = await system.db
    .select({ elementId: tasks.elementId })
    .from(tasks)
    .where(and(eq(tasks.caseId, caseId), eq(tasks.status, 'open')))
    .orderBy(asc(tasks.elementId));
  return rows.map((row) => row.elementId);
}

async function complete(principal: StaffSession, taskId: string, input: Record<string, string>) {
  const result = await system.services.tasks.complete(principal, taskId, randomUUID(), input);
  expect(result).toMatchObject({ ok: true });
}

/** The mails the service's own jobs sent (idempotency key `caseId:elementId:seq`), not the platform's notifications. */
async function serviceMailsOf(caseId: string) {
  const rows = await system.db
    .select()
    .from(outboxMails)
    .where(eq(outboxMails.caseId, caseId))
    .orderBy(asc(outboxMails.createdAt));
  return rows.filter((row) => row.idempotencyKey.startsWith(`${caseId}:`));
}

describe('permit guidance on the real system', () => {
  it('Rückfrage, statements in parallel, decision: the letter is a case document and the result, the case ends "Entschieden"', async () => {
    const caseworker = await staffSessionOf(system, DEMO_ACCOUNTS.caseworker.email);
    const buildingAuthority = await staffSessionOf(system, DEMO_ACCOUNTS.buildingAuthority.email);
    const environmentAgency = await staffSessionOf(system, DEMO_ACCOUNTS.environmentAgency.email);

    // Given a company that applies in three steps with its site plan
    const applicant = await newApplicant(system);
    const caseId = await submitPermitGuidance(applicant.client, applicant);
    const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
    const caseNumber = row?.number ?? 'missing';

    // When the caseworker finds something missing, the company is asked in the portal (the platform tells it that a
    // task is open; the service sends no mail of its own, ADR 0029)
    const firstCheck = await openTaskAt(system, caseId, 'Task_CheckCompleteness');
    const missing = 'Bitte reichen Sie einen Lageplan im Maßstab 1:500 mit den Grenzabständen nach.';
    await complete(caseworker, firstCheck.id, { documentsComplete: 'no', missingDocuments: missing });
    const rueckfrage = await openTaskAt(system, caseId, 'Task_Rueckfrage');
    expect(await serviceMailsOf(caseId)).toEqual([]);
    const casePage = await applicant.client.get(`/cases/${caseId}`);
    expect(casePage.html).toContain('Rückfrage');
    expect(casePage.html).toContain(`/tasks/${rueckfrage.id}`);

    // And the company reads what is missing and answers the Rückfrage in the portal
    const rueckfragePage = await applicant.client.get(`/tasks/${rueckfrage.id}`);
    expect(rueckfragePage.html).toContain(missing);
    const answered = await applicant.client.submit(`/tasks/${rueckfrage.id}`, {
      rueckfrageAnswer: 'Der Lageplan 1:500 mit den Grenzabständen ist jetzt beigefügt.',
    });
    expect(answered.status).toBe(303);

    // Then the check runs again; complete, both departments are asked at the same time
    const secondCheck = await openTaskAt(system, caseId, 'Task_CheckCompleteness');
    expect(secondCheck.id).not.toBe(firstCheck.id);
    await complete(caseworker, secondCheck.id, { documentsComplete: 'yes' });
    const buildingTask = await openTaskAt(system, caseId, 'Task_StatementBuilding');
    const environmentTask = await openTaskAt(system, caseId, 'Task_StatementEnvironment');
    expect(await openElementsOf(caseId)).toEqual(['Task_StatementBuilding', 'Task_StatementEnvironment']);
    expect(buildingTask.candidateGroups).toEqual(['bauamt']);
    expect(environmentTask.candidateGroups).toEqual(['umweltamt']);
    // …each department only its own
    expect(await system.services.tasks.taskFor(buildingAuthority, environmentTask.id)).toBeUndefined();

    await complete(environmentAgency, environmentTask.id, {
      recommendation: 'approve',
      statement: 'Keine Bedenken aus Sicht des Immissionsschutzes.',
    });
    await complete(buildingAuthority, buildingTask.id, {
      recommendation: 'approveWithConditions',
      statement: 'Zustimmung mit Auflage: Brandschutzkonzept vor Baubeginn.',
    });

    // When the caseworker, who sees both statements on the decision task, decides with a condition
    const decide = await openTaskAt(system, caseId, 'Task_Decide');
    const staffClient = new WebClient(system.url);
    await staffClient.login(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD, true);
    const decisionPage = await staffClient.get(`/staff/tasks/${decide.id}`);
    expect(decisionPage.html).toContain('Zustimmung mit Auflage: Brandschutzkonzept vor Baubeginn.');
    expect(decisionPage.html).toContain('Keine Bedenken aus Sicht des Immissionsschutzes.');
    await complete(caseworker, decide.id, {
      decision: 'approveWithConditions',
      conditions: 'Vor Baubeginn ist ein Brandschutzkonzept vorzulegen.',
      decisionText: 'Das Vorhaben fügt sich in die Umgebung ein; die Fachämter haben zugestimmt.',
    });

    // Then the case ends "Entschieden"
    const done = await eventually(
      async () => {
        const [current] = await system.db.select().from(cases).where(eq(cases.id, caseId));
        return current?.status === 'completed' ? current : undefined;
      },
      20_000,
      'the case to complete',
    );
    expect(done.publicStatus).toBe('Entschieden');
    expect(done.variables).toMatchObject({
      decisionLabel: 'unter Auflagen genehmigungsfähig',
      buildingRecommendation: 'approveWithConditions',
      environmentRecommendation: 'approve',
    });

    // …with the decision letter as a clean PDF document of the case, filed by the system
    const [letter] = await system.db
      .select()
      .from(documents)
      .where(and(eq(documents.caseId, caseId), like(documents.fieldKey, 'generated:%')));
    expect(letter).toMatchObject({
      companyId: applicant.companyId,
      fieldKey: expect.stringMatching(/^generated:Task_CreateDecisionLetter:\d+$/),
      fileName: `Bescheid-${caseNumber}.pdf`,
      mediaType: 'application/pdf',
      scanStatus: 'clean',
      uploadedBy: 'system',
    });
    expect(done.variables.decisionDocumentId).toBe(letter?.id);
    const sha256 = letter?.sha256 ?? '';
    const blob = await readFile(path.join(DATA_DIR, 'blobs', sha256.slice(0, 2), sha256));
    expect(blob.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(blob.length).toBe(letter?.size);

    // …and no mail of the service's own: the decision is the case's result on its page (the platform tells the company)
    expect(await serviceMailsOf(caseId)).toEqual([]);

    // The company downloads the letter from its case page and follows every step in the timeline
    const finalPage = await applicant.client.get(`/cases/${caseId}`);
    const href = `/cases/${caseId}/documents/${letter?.id}`;
    expect(finalPage.html).toContain(href);
    expect(finalPage.html).toContain(`Bescheid-${caseNumber}.pdf`);
    // The decision is the case's result, as the result form names it
    expect(finalPage.html).toContain('Genehmigungsfähig mit Auflagen');
    for (const status of [
      'Eingegangen',
      'In Prüfung',
      'Rückfrage',
      'Stellungnahmen angefordert',
      'Entscheidung in Vorbereitung',
      'Entschieden',
    ]) {
      expect(finalPage.html).toContain(`<strong>${status}</strong>`);
    }
    const download = await applicant.client.get(href);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.html.startsWith('%PDF-')).toBe(true);
    // Another company cannot fetch it
    const other = await newApplicant(system);
    expect((await other.client.get(href)).status).toBe(404);
  });
});
