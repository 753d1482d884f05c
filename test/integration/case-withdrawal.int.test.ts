import { createHash, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEvents, cases, messages, tasks } from '../../engine/db/schema.js';
import { CATALOG_DIR } from '../../engine/main/system.js';
import { WITHDRAW_MESSAGE } from '../../engine/case/withdrawal.js';
import { loadServiceFolder } from '../../engine/services/service-definition.js';
import { compileProcess } from '../../engine/model/compile.js';
import { WebClient } from '../browserless-client.js';
import { completedCase, demoCaseworker, newApplicant, openTaskOf, submitGeneralInquiry } from '../journeys.js';
import { testServiceCopy } from '../service-versions.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;
let owner: Awaited<ReturnType<typeof newApplicant>>;
let caseworker: WebClient;

beforeAll(async () => {
  system = await startTestSystem();
  owner = await newApplicant(system);
  caseworker = await demoCaseworker(system);
});

afterAll(async () => {
  await system?.stop();
});

const caseRow = async (caseId: string) => {
  const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
  if (!row) throw new Error(`no case ${caseId}`);
  return row;
};
const trailOf = (caseId: string) => system.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId));

/** Opens the confirmation page and posts it (its `_csrf` and `_token`), as the browser would without JavaScript. */
async function withdraw(client: WebClient, caseId: string, reason: string) {
  const page = await client.get(`/cases/${caseId}/withdraw`);
  expect(page.status).toBe(200);
  const token = client.hidden('_token');
  expect(token).toBeDefined();
  return { token: token!, response: await client.submit(`/cases/${caseId}/withdraw`, { reason }) };
}

describe('withdrawing a case (a general inquiry with an open caseworker task)', () => {
  it('cancels the task, ends the case "Zurückgezogen", names the user; a second submit and strangers change nothing', async () => {
    // Given a general inquiry whose answer task is in the caseworkers' inbox
    const subject = `Rückzug ${randomUUID().slice(0, 8)}`;
    const caseId = await submitGeneralInquiry(owner.client, subject);
    const task = await openTaskOf(system, caseId);
    expect((await caseworker.get('/staff/tasks')).html).toContain(`/staff/tasks/${task.id}`);
    const casePage = await owner.client.get(`/cases/${caseId}`);
    expect(casePage.html).toContain(`href="/cases/${caseId}/withdraw"`);
    expect(casePage.html).toContain('Vorgang zurückziehen');

    // A stranger company's user gets 404 on the page and the POST, and the case stays as it is
    const stranger = await newApplicant(system);
    expect((await stranger.client.get(`/cases/${caseId}/withdraw`)).status).toBe(404);
    await stranger.client.get('/account');
    const strangerPost = await stranger.client.post(`/cases/${caseId}/withdraw`, {
      _csrf: stranger.client.hidden('_csrf') ?? '',
      _token: 'fremder-rueckzug-0001',
      reason: 'fremd',
    });
    expect(strangerPost.status).toBe(404);
    expect((await caseRow(caseId)).status).toBe('active');

    // A reason that is too long is refused next to the field, kept, and nothing is sent
    const tooLong = `${'x'.repeat(1000)}yz`;
    const refused = await withdraw(owner.client, caseId, tooLong);
    expect(refused.response.status).toBe(422);
    expect(refused.response.html).toContain('id="withdraw-reason-error"');
    expect(refused.response.html).toContain('aria-invalid="true"');
    expect(refused.response.html).toContain(tooLong);
    expect((await caseRow(caseId)).status).toBe('active');

    // When the company withdraws with a reason
    const { token, response } = await withdraw(owner.client, caseId, 'Hat sich erledigt <danke>.');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/cases/${caseId}?withdrawn=1`);

    // Then the case has ended "Zurückgezogen", the task is cancelled and gone from the inbox
    const ended = await completedCase(system, caseId);
    expect(ended.publicStatus).toBe('Zurückgezogen');
    expect(ended.variables).toMatchObject({
      withdrawalReason: 'Hat sich erledigt <danke>.',
      withdrawnBy: 'Paula Planer',
    });
    const [after] = await system.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(after?.status).toBe('cancelled');
    expect((await caseworker.get('/staff/tasks')).html).not.toContain(`/staff/tasks/${task.id}`);

    // The trail names who withdrew, and the case page says so, without the button
    const trail = await trailOf(caseId);
    const withdrawal = trail.find((event) => event.type === 'caseWithdrawn');
    expect(withdrawal).toMatchObject({ actor: expect.stringMatching(/^applicant:/), detail: 'Paula Planer' });
    expect(trail.filter((event) => event.actor === withdrawal?.actor).map((event) => event.type)).toContain(
      'elementEntered',
    );
    const page = await owner.client.get(`/cases/${caseId}`);
    expect(page.html).toMatch(/id="case-status">Zurückgezogen</);
    expect(page.html).toContain('id="case-withdrawn"');
    expect(page.html).toContain('Paula Planer');
    expect(page.html).not.toContain(`href="/cases/${caseId}/withdraw"`);
    const english = await owner.client.get(`/cases/${caseId}?lang=en`);
    expect(english.html).toMatch(/id="case-status">Withdrawn</);
    await owner.client.get(`/cases/${caseId}?lang=de`); // the session keeps the language

    // The staff case view tells it in its timeline
    const staffPage = await caseworker.get(`/staff/cases/${caseId}`);
    expect(staffPage.status).toBe(200);
    expect(staffPage.html).toContain('vom Unternehmen zurückgezogen – Paula Planer');

    // A double submit (the same form token) changes nothing: one message, the same trail
    const again = await owner.client.submit(`/cases/${caseId}/withdraw`, { reason: 'noch einmal' }, { token });
    expect(again.status).toBe(303);
    expect(await trailOf(caseId)).toHaveLength(trail.length);
    const published = await system.db
      .select()
      .from(messages)
      .where(and(eq(messages.name, WITHDRAW_MESSAGE), eq(messages.correlatedCaseId, caseId)));
    expect(published).toHaveLength(1);
    // And the confirmation page of a withdrawn case leads back to it
    const confirmAgain = await owner.client.get(`/cases/${caseId}/withdraw`);
    expect(confirmAgain.status).toBe(303);
  });

  it('offers no withdrawal on an answered case, nor on a service that does not model it (409, nothing sent)', async () => {
    // An answered general inquiry has ended: no button, and the confirmation page says it is not possible
    const answeredId = await submitGeneralInquiry(owner.client, `Beantwortet ${randomUUID().slice(0, 8)}`);
    const answerTask = await openTaskOf(system, answeredId);
    await caseworker.get(`/staff/tasks/${answerTask.id}`);
    expect(
      (await caseworker.submit(`/staff/tasks/${answerTask.id}`, { answer: 'Hier ist unsere Antwort an Sie.' })).status,
    ).toBe(303);
    await completedCase(system, answeredId);
    expect((await owner.client.get(`/cases/${answeredId}`)).html).not.toContain(`/cases/${answeredId}/withdraw`);
    expect((await owner.client.get(`/cases/${answeredId}/withdraw`)).status).toBe(409);

    // A service of its own without the withdrawal event sub-process
    const shipped = await loadServiceFolder(`${CATALOG_DIR}/general-inquiry`);
    const bpmnXml = withoutWithdrawal(shipped.bpmnXml);
    const compiled = await compileProcess(bpmnXml);
    if (!compiled.ok) throw new Error('the service without withdrawal does not compile');
    const slug = `ohne-rueckzug-${Date.now()}`;
    await system.services.catalog.publish({
      ...testServiceCopy(shipped, slug),
      bpmnXml,
      model: compiled.model,
      contentHash: createHash('sha256').update(bpmnXml).digest('hex'),
    });
    await owner.client.get(`/services/${slug}/start?new=1`);
    await owner.client.get(`/services/${slug}/start`);
    const sent = await owner.client.submit(`/services/${slug}/start`, {
      subject: 'Ohne Rückzug',
      message: 'Diese Leistung sieht keinen Rückzug vor.',
      contactChannel: 'email',
    });
    const caseId = /\/cases\/([0-9a-f-]{36})/.exec(sent.headers.get('location') ?? '')?.[1];
    if (!caseId) throw new Error(`no case (${sent.status})`);
    await openTaskOf(system, caseId);

    expect((await owner.client.get(`/cases/${caseId}`)).html).not.toContain(`/cases/${caseId}/withdraw`);
    const confirm = await owner.client.get(`/cases/${caseId}/withdraw`);
    expect(confirm.status).toBe(409);
    expect(confirm.html).toContain('kann nicht (mehr) zurückgezogen werden');
    // (a hand-made form: the page offers none)
    const posted = await owner.client.submit(
      `/cases/${caseId}/withdraw`,
      { reason: 'Bitte trotzdem.' },
      { token: 'eigener-rueckzug-0001' },
    );
    expect(posted.status).toBe(409);
    expect((await caseRow(caseId)).status).toBe('active');
    const published = await system.db
      .select()
      .from(messages)
      .where(eq(messages.correlationKey, (await caseRow(caseId)).number));
    expect(published).toEqual([]);
  });
});

/** The shipped general inquiry without its withdrawal event sub-process (and the message it waits for). */
function withoutWithdrawal(xml: string): string {
  const stripped = xml
    .replace(/\s*<bpmn:subProcess id="SubProcess_Withdrawal"[\s\S]*?<\/bpmn:subProcess>/, '')
    .replace(/\s*<bpmn:message id="Message_Withdraw"[\s\S]*?<\/bpmn:message>/, '')
    .replace(
      /\s*<bpmndi:BPMNShape id="(SubProcess_Withdrawal|StartEvent_Withdrawn|EndEvent_Withdrawn)_di"[\s\S]*?<\/bpmndi:BPMNShape>/g,
      '',
    )
    .replace(/\s*<bpmndi:BPMNEdge id="Flow_WithdrawnEnd_di"[\s\S]*?<\/bpmndi:BPMNEdge>/, '');
  if (stripped.includes(WITHDRAW_MESSAGE)) throw new Error('the withdrawal is still in the model');
  return stripped;
}
