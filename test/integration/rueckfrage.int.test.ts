import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeTaskUpdate,
  increaseTimeSignal,
  requestInformationUpdate,
  withdrawInformationRequestUpdate,
} from '../../engine/case/contract.js';
import {
  ALREADY_WAITING,
  AWAITING_ANSWER,
  INVALID_REQUEST,
  addDays,
  deadlineEnd,
  requestsOf,
  type InformationRequestInput,
} from '../../engine/case/information-request.js';
import { NOT_ALLOWED, TASK_NOT_OPEN, type Actor } from '../../engine/case/task-completion.js';
import { agencyToday } from '../../engine/case/today.js';
import { CATALOG_DIR } from '../../engine/main/system.js';
import { loadServiceFolder } from '../../engine/services/service-definition.js';
import {
  caseEvents,
  cases,
  documents,
  outboxMails,
  services,
  serviceVersions,
  staff,
  tasks,
  users,
} from '../../engine/db/schema.js';
import { DEMO_ACCOUNTS } from '../../engine/services/seed.js';
import { newSubmissionToken } from '../../engine/web/http.js';
import type { WebClient } from '../browserless-client.js';
import { demoCaseworker, demoCompany, openTaskOf, submitGeneralInquiry } from '../journeys.js';
import { eventually, startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.stop();
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
const DAY_MS = 24 * 3600_000;

const taskRow = async (taskId: string) => {
  const [row] = await system.db.select().from(tasks).where(eq(tasks.id, taskId));
  if (!row) throw new Error(`task ${taskId} missing`);
  return row;
};

const caseRow = async (caseId: string) => {
  const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
  if (!row) throw new Error(`case ${caseId} missing`);
  return row;
};

/** The Rückfrage's company task once projected. */
const requestTaskOf = (caseId: string, status: 'open' | 'completed' | 'cancelled' = 'open') =>
  eventually(
    async () => {
      const rows = await system.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.caseId, caseId), eq(tasks.status, status)))
        .orderBy(asc(tasks.createdAt));
      return rows.find((row) => row.informationRequest !== null);
    },
    15_000,
    `a ${status} Rückfrage task on ${caseId}`,
  );

const staffActor = async (email: string, groups: string[]): Promise<Actor> => {
  const [member] = await system.db.select().from(staff).where(eq(staff.email, email));
  if (!member) throw new Error(`no staff ${email}`);
  return { kind: 'staff', id: member.id, email, groups };
};

/** The caseworker asks from the task page's form, as a browser sends it. */
async function ask(caseworker: WebClient, taskId: string, fields: Record<string, string>) {
  await caseworker.get(`/staff/tasks/${taskId}`);
  const token = /action="\/staff\/tasks\/[^"]+\/rueckfrage"[\s\S]*?name="_token" value="([^"]+)"/.exec(
    caseworker.lastHtml,
  )?.[1];
  return caseworker.submit(`/staff/tasks/${taskId}/rueckfrage`, fields, { token });
}

/** Rejected with an ApplicationFailure of this type (never a failed workflow task). */
async function rejectionType(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure)
      return error.cause.type ?? undefined;
    throw error;
  }
  return undefined;
}

async function workflowTaskFailures(caseId: string): Promise<number> {
  const history = await system.temporalClient.workflow.getHandle(caseId).fetchHistory();
  return (history.events ?? []).filter((event) => event.workflowTaskFailedEventAttributes).length;
}

describe('Rückfrage on any task', () => {
  it('the caseworker asks, the company answers with a PDF, the task returns with its due date moved', async () => {
    // Given a general inquiry whose staff task is due in three days
    const company = await demoCompany(system);
    const caseId = await submitGeneralInquiry(company, 'Rückfrage: Hallenerweiterung');
    const staffTask = await openTaskOf(system, caseId);
    const due = new Date(Date.now() + 3 * DAY_MS);
    await system.db.update(tasks).set({ dueDate: due }).where(eq(tasks.id, staffTask.id));
    const caseworker = await demoCaseworker(system);

    // When the caseworker sends a Rückfrage with an empty form, the errors stand next to the fields, input kept
    const invalid = await ask(caseworker, staffTask.id, {
      questions: '',
      documents: '',
      message: 'Bitte ergänzen.',
      deadline: agencyToday(),
    });
    expect(invalid.status).toBe(422);
    expect(invalid.html).toContain('id="rueckfrage-questions-error"');
    expect(invalid.html).toContain('id="rueckfrage-deadline-error"');
    expect(invalid.html).toContain('Bitte ergänzen.');

    // When they ask one question and one document, answer due in 14 days
    const deadline = addDays(agencyToday(), 14);
    const asked = await ask(caseworker, staffTask.id, {
      questions: 'Wie groß ist die geplante Halle (m²)?\n',
      documents: 'Lageplan',
      message: 'Für die Prüfung fehlen uns noch Angaben.',
      deadline,
    });
    expect(asked.status).toBe(303);

    // Then the staff task waits, the company has a task with the generated form, and an e-mail
    const requestTask = await requestTaskOf(caseId);
    expect(requestTask.candidateGroups).toEqual(['applicant']);
    expect(requestTask.informationRequest?.questions).toEqual(['Wie groß ist die geplante Halle (m²)?']);
    expect(requestTask.dueDate?.toISOString()).toBe(deadlineEnd(deadline));
    const waiting = await taskRow(staffTask.id);
    expect(waiting.status).toBe('open');
    expect(waiting.waitingSince).not.toBeNull();
    const staffPage = await caseworker.get(`/staff/tasks/${staffTask.id}`);
    expect(staffPage.html).toContain('Wartet auf Rückmeldung');
    expect(staffPage.html).toContain('Wie groß ist die geplante Halle (m²)?');
    // …and cannot be completed meanwhile
    expect(staffPage.html).not.toContain(`action="/staff/tasks/${staffTask.id}" `);
    // (the company's task notification, ADR 0030: a link to the case, never what was asked)
    const mail = await eventually(
      async () => {
        const rows = await system.db.select().from(outboxMails).where(eq(outboxMails.caseId, caseId));
        return rows.find(
          (row) =>
            row.idempotencyKey.startsWith('notification:taskOpened:') &&
            row.recipient === DEMO_ACCOUNTS.companyUser.email,
        );
      },
      15_000,
      'the Rückfrage mail',
    );
    expect(mail.body).toContain('„Rückfrage“');
    expect(mail.body).toContain(`/cases/${caseId}`);
    expect(mail.body).not.toContain('Lageplan');

    // When the company opens its case, the Rückfrage is highlighted with a link to the task
    const casePage = await company.get(`/cases/${caseId}`);
    expect(casePage.html).toContain('Rückfrage vom');
    expect(casePage.html).toContain(`href="/tasks/${requestTask.id}"`);
    const answerPage = await company.get(`/tasks/${requestTask.id}`);
    expect(answerPage.html).toContain('enctype="multipart/form-data"');
    expect(answerPage.html).toContain('Wie groß ist die geplante Halle (m²)?');

    // …and sends the answer without the document: refused, the answer kept
    const token = company.hidden('_token') ?? '';
    const missing = await company.submitMultipart(`/tasks/${requestTask.id}`, { _token: token, answer1: '1.200 m²' });
    expect(missing.status).toBe(422);
    expect(missing.html).toContain('1.200 m²');

    // …then with the PDF
    const answered = await company.submitMultipart(`/tasks/${requestTask.id}`, { _token: token, answer1: '1.200 m²' }, [
      { field: 'document1', name: 'lageplan.pdf', content: PDF, type: 'application/pdf' },
    ]);
    expect(answered.status).toBe(303);

    // Then the staff task is active again, its due date moved by the time it waited
    const resumed = await taskRow(staffTask.id);
    expect(resumed.waitingSince).toBeNull();
    const closedRequest = await taskRow(requestTask.id);
    expect(closedRequest.status).toBe('completed');
    const waited = (closedRequest.completedAt?.getTime() ?? 0) - (waiting.waitingSince?.getTime() ?? 0);
    expect(waited).toBeGreaterThan(0);
    expect(resumed.dueDate?.getTime()).toBe(due.getTime() + waited);

    // …the document is the case's, linked to the task, and its id is in the variables
    const [document] = await system.db.select().from(documents).where(eq(documents.taskId, requestTask.id));
    expect(document?.caseId).toBe(caseId);
    expect(document?.fileName).toBe('lageplan.pdf');
    const [request] = requestsOf((await caseRow(caseId)).variables);
    expect(request).toMatchObject({
      status: 'answered',
      questions: ['Wie groß ist die geplante Halle (m²)?'],
      answers: ['1.200 m²'],
      documentIds: [document?.id],
    });

    // …the timeline has both steps, and the staff page shows the answer and the document
    const trail = await system.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId));
    expect(trail.map((event) => event.type)).toEqual(
      expect.arrayContaining(['informationRequested', 'informationAnswered']),
    );
    const back = await caseworker.get(`/staff/tasks/${staffTask.id}`);
    expect(back.html).toContain('1.200 m²');
    expect(back.html).toContain('lageplan.pdf');
    expect(back.html).toContain(`action="/staff/tasks/${staffTask.id}"`);
    expect(await workflowTaskFailures(caseId)).toBe(0);
  });

  it('the caseworker withdraws an open Rückfrage and can complete the task again', async () => {
    const company = await demoCompany(system);
    const caseId = await submitGeneralInquiry(company, 'Rückfrage: zurückgezogen');
    const staffTask = await openTaskOf(system, caseId);
    const caseworker = await demoCaseworker(system);
    expect(
      (
        await ask(caseworker, staffTask.id, {
          questions: 'Noch etwas?',
          documents: '',
          message: '',
          deadline: addDays(agencyToday(), 7),
        })
      ).status,
    ).toBe(303);
    const requestTask = await requestTaskOf(caseId);

    // While it waits, completing the task is refused and changes nothing
    await caseworker.get(`/staff/tasks/${staffTask.id}`);
    const refused = await caseworker.submit(
      `/staff/tasks/${staffTask.id}`,
      { answer: 'Schon erledigt.' },
      {
        token: newSubmissionToken(),
      },
    );
    expect(refused.status).toBe(422);
    expect((await taskRow(staffTask.id)).status).toBe('open');

    // When they withdraw it
    await caseworker.get(`/staff/tasks/${staffTask.id}`);
    const withdrawToken = /rueckfrage\/withdraw"[\s\S]*?name="_token" value="([^"]+)"/.exec(caseworker.lastHtml)?.[1];
    const withdrawn = await caseworker.submit(
      `/staff/tasks/${staffTask.id}/rueckfrage/withdraw`,
      {},
      {
        token: withdrawToken,
      },
    );
    expect(withdrawn.status).toBe(303);
    expect(withdrawn.headers.get('location')).toContain('rueckfrage=withdrawn');

    // Then the company task is gone, the staff task goes on, the variables say so
    expect((await taskRow(requestTask.id)).status).toBe('cancelled');
    expect((await taskRow(staffTask.id)).waitingSince).toBeNull();
    expect(requestsOf((await caseRow(caseId)).variables)[0]?.status).toBe('withdrawn');
    expect((await company.get(`/tasks/${requestTask.id}`)).html).not.toContain('enctype="multipart/form-data"');
    await caseworker.get(`/staff/tasks/${staffTask.id}`);
    const completed = await caseworker.submit(`/staff/tasks/${staffTask.id}`, { answer: 'Jetzt erledigt.' });
    expect(completed.status).toBe(303);
  });

  it('a deadline passed without answer brings the task back, noted "keine Antwort bis …" (a workflow timer)', async () => {
    // Given a case in scenario mode, whose clock the test may move (the deadline is days away)
    const [version] = await system.db
      .select({ id: serviceVersions.id })
      .from(serviceVersions)
      .innerJoin(services, eq(services.id, serviceVersions.serviceId))
      .where(eq(services.slug, 'general-inquiry'));
    const [user] = await system.db.select().from(users).where(eq(users.email, DEMO_ACCOUNTS.companyUser.email));
    const { companyId } = await caseRow(await submitGeneralInquiry(await demoCompany(system), 'Rückfrage: Firma'));
    if (!version || !user) throw new Error('seed missing');
    const { caseId } = await system.services.caseStarts.startScenario({
      serviceVersionId: version.id,
      companyId,
      userId: user.id,
      variables: { subject: 'Frist', message: 'Szenario', contactChannel: 'email' },
    });
    const staffTask = await openTaskOf(system, caseId);
    const handle = system.temporalClient.workflow.getHandle(caseId);
    const deadline = addDays(agencyToday(), 3);
    await handle.executeUpdate(requestInformationUpdate, {
      args: [
        {
          staffTokenId: staffTask.tokenId,
          actor: await staffActor(DEMO_ACCOUNTS.caseworker.email, ['wirtschaftsfoerderung']),
          questions: ['Wann beginnt das Vorhaben?'],
          documents: [],
          message: '',
          deadline,
        },
      ],
    });
    const requestTask = await requestTaskOf(caseId);

    // When the case's clock passes the end of the deadline day
    await handle.signal(increaseTimeSignal, { ms: 5 * DAY_MS });

    // Then the company task closes, the staff task is active again, and the trail says why
    await eventually(async () => ((await taskRow(requestTask.id)).status === 'cancelled' ? true : undefined));
    expect((await taskRow(staffTask.id)).waitingSince).toBeNull();
    expect(requestsOf((await caseRow(caseId)).variables)[0]?.status).toBe('expired');
    const [day, month, year] = [deadline.slice(8), deadline.slice(5, 7), deadline.slice(0, 4)];
    const expired = await system.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, 'informationRequestExpired')));
    expect(expired[0]?.detail).toBe(`keine Antwort bis ${day}.${month}.${year}`);
    const staffPage = await (await demoCaseworker(system)).get(`/staff/tasks/${staffTask.id}`);
    expect(staffPage.html).toContain(`Keine Antwort bis ${day}.${month}.${year}`);
    expect(staffPage.html).toContain(`action="/staff/tasks/${staffTask.id}"`);
    expect(await workflowTaskFailures(caseId)).toBe(0);
  });

  it('forged updates (wrong actor, closed task, invalid deadline, a second one) are rejected, no workflow task fails', async () => {
    const company = await demoCompany(system);
    const caseId = await submitGeneralInquiry(company, 'Rückfrage: gefälscht');
    const staffTask = await openTaskOf(system, caseId);
    const handle = system.temporalClient.workflow.getHandle(caseId);
    const caseworker = await staffActor(DEMO_ACCOUNTS.caseworker.email, ['wirtschaftsfoerderung']);
    const valid: InformationRequestInput = {
      staffTokenId: staffTask.tokenId,
      actor: caseworker,
      questions: ['Eine Frage'],
      documents: [],
      message: '',
      deadline: addDays(agencyToday(), 10),
    };
    const send = (input: InformationRequestInput) => handle.executeUpdate(requestInformationUpdate, { args: [input] });

    // Another department's member, and the company itself, may not ask from this task
    const outsider = await staffActor(DEMO_ACCOUNTS.buildingAuthority.email, ['bauamt']);
    expect(await rejectionType(send({ ...valid, actor: outsider }))).toBe(NOT_ALLOWED);
    expect(await rejectionType(send({ ...valid, actor: { kind: 'applicant', id: outsider.id, groups: [] } }))).toBe(
      NOT_ALLOWED,
    );
    // A deadline today or in the past, or nothing asked
    expect(await rejectionType(send({ ...valid, deadline: agencyToday() }))).toBe(INVALID_REQUEST);
    expect(await rejectionType(send({ ...valid, deadline: '2020-02-30' }))).toBe(INVALID_REQUEST);
    expect(await rejectionType(send({ ...valid, questions: [' '], documents: [] }))).toBe(INVALID_REQUEST);
    // A task that is no token of this case
    expect(await rejectionType(send({ ...valid, staffTokenId: 'nope' }))).toBe(TASK_NOT_OPEN);
    // Withdrawing with nothing open
    expect(
      await rejectionType(
        handle.executeUpdate(withdrawInformationRequestUpdate, {
          args: [{ staffTokenId: staffTask.tokenId, actor: caseworker }],
        }),
      ),
    ).toBe('NoOpenInformationRequest');

    // A valid one goes through; a second one on the same task is refused
    await send(valid);
    expect(await rejectionType(send(valid))).toBe(ALREADY_WAITING);
    // While it waits: staff cannot answer in the company's place, nor complete the waiting task
    const complete = (tokenId: string, actor: Actor, data: Record<string, unknown>) =>
      handle.executeUpdate(completeTaskUpdate, { args: [{ tokenId, actor, data }] });
    expect(await rejectionType(complete('rueckfrage-1', caseworker, { answer1: 'Von der Sachbearbeitung' }))).toBe(
      NOT_ALLOWED,
    );
    expect(await rejectionType(complete(staffTask.tokenId, caseworker, { answer: 'Trotzdem erledigt.' }))).toBe(
      AWAITING_ANSWER,
    );
    // Withdrawn, the task completed: asking from the closed task is refused
    await handle.executeUpdate(withdrawInformationRequestUpdate, {
      args: [{ staffTokenId: staffTask.tokenId, actor: caseworker }],
    });
    const client = await demoCaseworker(system);
    await client.get(`/staff/tasks/${staffTask.id}`);
    const done = await client.submit(`/staff/tasks/${staffTask.id}`, { answer: 'Ohne Rückfrage erledigt.' });
    expect(done.status).toBe(303);
    // The general inquiry ends with the answer (its mails are the platform's now, ADR 0030): a closed task of a
    // case that still runs says so, and a case that has ended takes no update at all.
    const late = await rejectionType(send(valid)).catch((error: unknown) =>
      error instanceof WorkflowNotFoundError ? 'CaseEnded' : Promise.reject(error),
    );
    expect([TASK_NOT_OPEN, 'CaseEnded']).toContain(late);

    expect(await workflowTaskFailures(caseId)).toBe(0);
  });

  it('a staff task form takes uploads too: they become case documents linked to the task, their ids the value', async () => {
    // Given a service of its own whose answer form has a file field (other test files share this database)
    const shipped = await loadServiceFolder(`${CATALOG_DIR}/general-inquiry`);
    const answerForm = shipped.forms['general-inquiry-answer'];
    if (!answerForm) throw new Error('answer form missing');
    const slug = `rueckfrage-upload-${Date.now()}`;
    await system.services.catalog.publish({
      ...shipped,
      slug,
      forms: {
        ...shipped.forms,
        'general-inquiry-answer': {
          ...answerForm,
          components: [
            ...answerForm.components,
            { id: 'Field_Attachment', type: 'filepicker', key: 'attachment', label: 'Anlage', multiple: true },
          ],
        },
      },
      contentHash: `${shipped.contentHash.slice(0, 56)}${Date.now().toString(16).slice(-8)}`,
    });
    const company = await demoCompany(system);
    await company.get(`/services/${slug}/start`);
    const sent = await company.submit(`/services/${slug}/start`, {
      subject: 'Mit Anlage',
      message: 'Bitte mit einer Anlage antworten.',
      contactChannel: 'email',
    });
    const caseId = /\/cases\/([0-9a-f-]{36})/.exec(sent.headers.get('location') ?? '')?.[1] ?? '';
    const staffTask = await openTaskOf(system, caseId);
    // A document of another case, whose id a forged form names
    const [foreign] = await system.db.select().from(documents).limit(1);

    // When the caseworker completes the task with a PDF (and the forged id)
    const caseworker = await demoCaseworker(system);
    const page = await caseworker.get(`/staff/tasks/${staffTask.id}`);
    expect(page.html).toContain('enctype="multipart/form-data"');
    const done = await caseworker.submitMultipart(
      `/staff/tasks/${staffTask.id}`,
      {
        _token: caseworker.hidden('_token') ?? '',
        answer: 'Anbei unsere Unterlagen zu Ihrer Anfrage.',
        ...(foreign && { attachment: foreign.id }),
      },
      [{ field: 'attachment', name: 'merkblatt.pdf', content: PDF, type: 'application/pdf' }],
    );
    expect(done.status).toBe(303);

    // Then the PDF is the case's, linked to the task, uploaded by staff, and only its id is the value
    const [document] = await system.db.select().from(documents).where(eq(documents.taskId, staffTask.id));
    expect(document).toMatchObject({ caseId, fileName: 'merkblatt.pdf' });
    expect(document?.uploadedBy).toMatch(/^staff:/);
    const finished = await eventually(async () => {
      const row = await caseRow(caseId);
      return Array.isArray(row.variables.attachment) ? row : undefined;
    });
    expect(finished.variables.attachment).toEqual([document?.id]);
  });
});
