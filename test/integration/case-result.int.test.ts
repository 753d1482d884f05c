import { randomUUID } from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, documents, users } from '../../engine/db/schema.js';
import type { CompanyUserSession, StaffSession } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS } from '../../engine/services/seed.js';
import {
  completedCase,
  demoCaseworker,
  demoCompany,
  newApplicant,
  openTaskAt,
  openTaskOf,
  staffSessionOf,
  submitGeneralInquiry,
  submitPermitGuidance,
} from '../journeys.js';
import { eventually, startTestSystem } from '../system.js';

// Invariant: the company's case page shows the service's result (service.json `result`, ADR 0024) — the result
// form's values and the public documents — once the case has set them, in German and English, and nothing of
// the case's other variables in that block; before the outcome there is no result block at all.

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;

beforeAll(async () => {
  system = await startTestSystem({ DATA_DIR: `/tmp/lotse-test-data-${randomUUID()}` });
});

afterAll(async () => {
  await system?.stop();
});

/** The "Ergebnis" section of a case page; undefined when the page has none. */
const resultOf = (html: string) => /<section class="case-result"[\s\S]*?<\/section>/.exec(html)?.[0];

async function complete(principal: StaffSession | CompanyUserSession, taskId: string, input: Record<string, unknown>) {
  expect(await system.services.tasks.complete(principal, taskId, randomUUID(), input)).toMatchObject({ ok: true });
}

describe('the case page shows the outcome', () => {
  it('general inquiry: no result block before the answer; then the answer, in German and English', async () => {
    const company = await demoCompany(system);
    const caseId = await submitGeneralInquiry(company, 'Gibt es Förderung für Photovoltaik?');
    const task = await openTaskOf(system, caseId);

    // Before the caseworker answered, the page has no (empty) result block
    const before = await company.get(`/cases/${caseId}`);
    expect(before.status).toBe(200);
    expect(resultOf(before.html)).toBeUndefined();
    expect(before.html).not.toContain('Ergebnis');

    // When the caseworker answers
    const caseworker = await demoCaseworker(system);
    await caseworker.get(`/staff/tasks/${task.id}`);
    const answer = 'Ja: das Programm „Sonnenstrom“ fördert <b>bis zu</b> 30 %.';
    const answered = await caseworker.submit(`/staff/tasks/${task.id}`, { answer });
    expect(answered.status).toBe(303);
    await eventually(
      async () => {
        const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
        return row?.variables.answer === answer ? row : undefined;
      },
      15_000,
      'the answer to reach the case',
    );

    // Then the company reads the answer in the result block, escaped, under "Ergebnis" / "Result"
    const german = resultOf((await company.get(`/cases/${caseId}`)).html);
    expect(german).toContain('<h2 id="case-result-heading">Ergebnis</h2>');
    expect(german).toContain('<dt>Unsere Antwort</dt>');
    expect(german).toContain('<dd>Ja: das Programm „Sonnenstrom“ fördert &lt;b&gt;bis zu&lt;/b&gt; 30 %.</dd>');
    // …and nothing else of the case (the start form's message is the company's own data, shown elsewhere)
    expect(german).not.toContain('Bitte um eine kurze Antwort');
    const english = resultOf((await company.get(`/cases/${caseId}?lang=en`)).html);
    expect(english).toContain('<h2 id="case-result-heading">Result</h2>');
    expect(english).toContain('<dt>Our answer</dt>');

    // …and another company's user gets 404 for the case, result included
    const other = await newApplicant(system);
    expect((await other.client.get(`/cases/${caseId}`)).status).toBe(404);
  });

  it('permit guidance: the decision with its conditions and reasons and the letter; the statements stay internal', async () => {
    const caseworker = await staffSessionOf(system, DEMO_ACCOUNTS.caseworker.email);
    const buildingAuthority = await staffSessionOf(system, DEMO_ACCOUNTS.buildingAuthority.email);
    const environmentAgency = await staffSessionOf(system, DEMO_ACCOUNTS.environmentAgency.email);
    const applicant = await newApplicant(system);
    const caseId = await submitPermitGuidance(applicant.client, applicant);

    await complete(caseworker, (await openTaskAt(system, caseId, 'Task_CheckCompleteness')).id, {
      documentsComplete: 'yes',
    });
    const buildingTask = await openTaskAt(system, caseId, 'Task_StatementBuilding');
    const environmentTask = await openTaskAt(system, caseId, 'Task_StatementEnvironment');
    await complete(environmentAgency, environmentTask.id, {
      recommendation: 'approve',
      statement: 'Interne Stellungnahme des Umweltamts.',
    });
    await complete(buildingAuthority, buildingTask.id, {
      recommendation: 'approveWithConditions',
      statement: 'Interne Stellungnahme des Bauamts.',
    });
    // While the decision is open, the company sees no result yet
    const decide = await openTaskAt(system, caseId, 'Task_Decide');
    expect(resultOf((await applicant.client.get(`/cases/${caseId}`)).html)).toBeUndefined();

    await complete(caseworker, decide.id, {
      decision: 'approveWithConditions',
      conditions: 'Vor Baubeginn ist ein Brandschutzkonzept vorzulegen.',
      decisionText: 'Das Vorhaben fügt sich in die Umgebung ein.',
    });
    const done = await completedCase(system, caseId);
    const [letter] = await system.db
      .select()
      .from(documents)
      .where(and(eq(documents.caseId, caseId), like(documents.fieldKey, 'generated:%')));
    expect(letter).toBeDefined();

    const german = resultOf((await applicant.client.get(`/cases/${caseId}`)).html) ?? '';
    expect(german).toContain('<dt>Entscheidung</dt><dd>Genehmigungsfähig mit Auflagen</dd>');
    expect(german).toContain('<dt>Auflagen</dt><dd>Vor Baubeginn ist ein Brandschutzkonzept vorzulegen.</dd>');
    expect(german).toContain('<dt>Begründung</dt><dd>Das Vorhaben fügt sich in die Umgebung ein.</dd>');
    expect(german).toContain('<h3>Ergebnis-Dokumente</h3>');
    expect(german).toContain(
      `<a href="/cases/${caseId}/documents/${letter?.id}" download>Bescheid-${done.number}.pdf</a>`,
    );
    expect(german).not.toContain('Interne Stellungnahme');
    const english = resultOf((await applicant.client.get(`/cases/${caseId}?lang=en`)).html) ?? '';
    expect(english).toContain('<dt>Decision</dt><dd>Can be approved with conditions</dd>');
    expect(english).toContain('<dt>Reasons</dt>');
    expect(english).toContain('<h3>Result documents</h3>');

    // The letter downloads through the case's document route
    const download = await applicant.client.get(`/cases/${caseId}/documents/${letter?.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('application/pdf');
  });
  it('funding inquiry: the confirmed programmes and the assessment, then the appointment once arranged', async () => {
    const caseworker = await staffSessionOf(system, DEMO_ACCOUNTS.caseworker.email);
    const applicant = await newApplicant(system);
    await applicant.client.get('/services/funding-inquiry/start');
    const sent = await applicant.client.submit('/services/funding-inquiry/start', {
      subject: 'Neue Fertigungslinie',
      companySize: 'klein',
      sector: 'industrie',
      projectType: 'investition',
      investmentVolume: '500.000',
      plannedStart: '2027-03-01',
      projectDescription: 'Wir planen eine neue Fertigungslinie für Bauteile aus recyceltem Aluminium.',
    });
    expect(sent.status).toBe(303);
    const caseId = /\/cases\/([0-9a-f-]{36})/.exec(sent.headers.get('location') ?? '')?.[1] ?? '';

    // The decision table's suggestions are not shown before the caseworker confirmed them
    const consultation = await openTaskAt(system, caseId, 'Task_Consultation');
    expect(resultOf((await applicant.client.get(`/cases/${caseId}`)).html)).toBeUndefined();
    const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
    const suggested = row?.variables.suggestedProgrammes as { programmeId: string; programmeName: string }[];
    const [first] = suggested;
    if (!first) throw new Error('no programme suggested');
    await complete(caseworker, consultation.id, {
      confirmedProgrammes: [first.programmeId],
      advice: 'Beantragen Sie den Zuschuss vor der ersten Bestellung.',
      internalNote: 'Intern: Hausbank anrufen.',
    });
    const wish = await openTaskAt(system, caseId, 'Task_AppointmentWish');
    const afterConsultation = resultOf((await applicant.client.get(`/cases/${caseId}`)).html) ?? '';
    expect(afterConsultation).toContain(`<dt>Passende Förderprogramme</dt><dd>${first.programmeName}: `);
    expect(afterConsultation).toContain(
      '<dt>Unsere Einschätzung</dt><dd>Beantragen Sie den Zuschuss vor der ersten Bestellung.</dd>',
    );
    expect(afterConsultation).not.toContain('Termin');
    expect(afterConsultation).not.toContain('Intern:');
    for (const other of suggested.slice(1)) expect(afterConsultation).not.toContain(other.programmeName);

    // When the company asks for an appointment and the caseworker arranges it, the appointment joins the result
    const [user] = await system.db.select().from(users).where(eq(users.email, applicant.email));
    const company: CompanyUserSession = {
      kind: 'applicant',
      userId: user?.id ?? '',
      name: 'Paula Planer',
      email: applicant.email,
      companyId: applicant.companyId,
      companyName: applicant.companyName,
    };
    await complete(company, wish.id, {
      appointmentWanted: 'yes',
      appointmentMode: 'company',
      preferredDate1: '2027-01-12',
      preferredDate2: '2027-01-14',
      preferredTimeOfDay: 'morning',
      appointmentTopics: 'Reihenfolge der Anträge',
    });
    await complete(caseworker, (await openTaskAt(system, caseId, 'Task_ArrangeAppointment')).id, {
      appointmentAt: '2027-01-12T10:00',
      appointmentPlace: 'Werk 2, Am Hafen 3',
      appointmentContact: 'Jonas Weber',
    });
    await completedCase(system, caseId);
    const english = resultOf((await applicant.client.get(`/cases/${caseId}?lang=en`)).html) ?? '';
    expect(english).toContain('<dt>Funding programmes that fit</dt>');
    expect(english).toMatch(/<dt>Appointment<\/dt><dd>[^<]*2027[^<]*<\/dd>/);
    expect(english).toContain('<dt>Place</dt><dd>Werk 2, Am Hafen 3</dd>');
    expect(english).toContain('<dt>Your contact</dt><dd>Jonas Weber</dd>');
  });
  it('site search: the offered sites and the message, not the other matches or the internal note', async () => {
    const caseworker = await staffSessionOf(system, DEMO_ACCOUNTS.caseworker.email);
    const applicant = await newApplicant(system);
    await applicant.client.get('/services/site-search/start');
    const sent = await applicant.client.submit('/services/site-search/start', {
      areaSqm: '5000',
      useType: 'logistik',
      municipalities: 'Nordheim',
      neededBy: '2027-06-30',
      maxMotorwayKm: '20',
      notes: 'Umschlaglager mit 20 Beschäftigten.',
    });
    expect(sent.status).toBe(303);
    const caseId = /\/cases\/([0-9a-f-]{36})/.exec(sent.headers.get('location') ?? '')?.[1] ?? '';
    const curate = await openTaskAt(system, caseId, 'Task_CurateOffer');
    expect(resultOf((await applicant.client.get(`/cases/${caseId}`)).html)).toBeUndefined();
    const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
    const matched = row?.variables.matchedSites as { siteId: string; name: string }[];
    const [offered] = matched;
    if (!offered) throw new Error('no site matched');

    await complete(caseworker, curate.id, {
      noSuitableSite: false,
      offeredSiteIds: [offered.siteId],
      offerText: 'Die Fläche ist sofort verfügbar und teilbar.',
      internalNote: 'Intern: Eigentümer vorab informieren.',
    });
    await openTaskAt(system, caseId, 'Task_ChooseSites');
    const german = resultOf((await applicant.client.get(`/cases/${caseId}`)).html) ?? '';
    expect(german).toContain(`<dd>${offered.name}</dd>`);
    expect(german).toContain('<dt>Unsere Nachricht</dt><dd>Die Fläche ist sofort verfügbar und teilbar.</dd>');
    expect(german).not.toContain('Intern:');
    for (const other of matched.slice(1)) expect(german).not.toContain(other.name);
    const english = resultOf((await applicant.client.get(`/cases/${caseId}?lang=en`)).html) ?? '';
    expect(english).toContain(`<dt>Site (Offered site, entry 1)</dt><dd>${offered.name}</dd>`);
    expect(english).toContain('<dt>Our message</dt>');
  });
});
