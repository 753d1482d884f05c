/**
 * The designer's test-run (issue 10, ADR 0021): a draft's scenario files run on the running system's Temporal and
 * PostgreSQL, as `lotse test` runs them, and each test case's result comes back — passed, or failed with the
 * runner's reason. The draft is the shipped general inquiry's folder read into a map of files.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, outboxMails, staff, staffGroups, tasks } from '../../engine/db/schema.js';
import { CATALOG_DIR } from '../../engine/main/system.js';
import { createServiceFilesRunner, scenarioCaseEraser } from '../../engine/scenario/run-service-files.js';
import { createCaseRepository } from '../../engine/repositories/case.repository.js';
import { createServiceRepository } from '../../engine/repositories/service.repository.js';
import { createDesignerTrialService, TRIAL_LIFETIME_MS } from '../../engine/services/designer-trial.service.js';
import { hashPassword, type StaffSession } from '../../engine/services/auth.service.js';
import {
  createDesignerTestRunService,
  TEST_RUN_LIMITS,
  type DesignerTestRunService,
  type ServiceFiles,
} from '../../engine/services/designer-testrun.service.js';
import { createServiceDraftRepository } from '../../engine/repositories/service-draft.repository.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { eventually, startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

const DESIGNER: StaffSession = {
  kind: 'staff',
  staffId: '00000000-0000-4000-8000-000000000001',
  name: 'Petra Berg',
  email: 'petra.berg@example.org',
  groups: [],
  roles: ['service_designer'],
};

async function folderFiles(folder: string): Promise<ServiceFiles> {
  const files: ServiceFiles = {};
  for (const name of await readdir(folder)) files[name] = await readFile(path.join(folder, name), 'utf8');
  return files;
}

/** A test file with one test case of the general inquiry: start, then the given assertion on Task_Answer. */
function testFile(testCases: { name: string; state: string }[]): string {
  return JSON.stringify({
    testCases: testCases.map(({ name, state }) => ({
      name,
      instructions: [
        {
          type: 'CREATE_PROCESS_INSTANCE',
          processDefinitionSelector: { processDefinitionId: 'general-inquiry' },
          variables: { subject: 'Test', message: 'Eine Frage', contactChannel: 'email' },
        },
        {
          type: 'ASSERT_ELEMENT_INSTANCES',
          processInstanceSelector: { processDefinitionId: 'general-inquiry' },
          elementSelectors: [{ elementId: 'Task_Answer' }],
          state,
        },
      ],
    })),
  });
}

describe('designer test-run', () => {
  let system: System;
  let testRuns: DesignerTestRunService;
  let shipped: ServiceFiles;
  const drafts = new Map<string, ServiceFiles>();
  const scenarioCases = async () => {
    const [row] = await system.db
      .select({ count: sql<number>`count(*)::int` })
      .from(cases)
      .where(like(cases.submissionToken, 'scenario:%'));
    return row?.count ?? 0;
  };

  beforeAll(async () => {
    system = await startTestSystem();
    shipped = await folderFiles(path.join(CATALOG_DIR, 'general-inquiry'));
    testRuns = createDesignerTestRunService({
      drafts: {
        files: async (slug) => drafts.get(slug),
        saveFile: async (_member, slug, name, content) => {
          const files = drafts.get(slug);
          if (!files) return false;
          drafts.set(slug, { ...files, [name]: content });
          return true;
        },
      },
      run: createServiceFilesRunner({
        db: system.db,
        temporal: system.temporalClient,
        caseStarts: system.services.caseStarts,
        messages: system.services.messages,
      }),
      // An assertion that does not hold waits this long before it fails.
      limits: { ...TEST_RUN_LIMITS, instructionTimeoutMs: 2_000 },
    });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('runs the shipped scenarios of a draft: every test case passes, and no scenario case stays behind', async () => {
    // Given a draft that is the general inquiry as shipped, with its test file
    drafts.set('shipped', shipped);
    const before = await scenarioCases();
    const overview = await testRuns.overview('shipped');
    const listed = overview?.files.find((file) => file.name === 'general-inquiry.test.json');
    expect(listed?.testCases.length).toBeGreaterThan(0);

    // When the designer runs its tests
    expect(await testRuns.start(DESIGNER, 'shipped')).toEqual({ ok: true });
    const run = await testRuns.settled('shipped');

    // Then each of its test cases passed, by name; their cases are deleted again
    expect(run?.status).toBe('finished');
    expect(run?.results.map((result) => [result.name, result.outcome])).toEqual(
      listed?.testCases.map((name) => [name, 'passed']),
    );
    expect(run).toMatchObject({ failed: 0, notRun: 0, startedBy: 'Petra Berg' });
    expect(await scenarioCases()).toBe(before);
  }, 120_000);

  it('tells a failing test case by the instruction that failed and why, next to one that passes', async () => {
    // Given a test file with one assertion that holds and one that does not
    drafts.set('failing', {
      ...shipped,
      'general-inquiry.test.json': testFile([
        { name: 'Die Aufgabe ist offen', state: 'IS_ACTIVE' },
        { name: 'Die Aufgabe ist schon erledigt', state: 'IS_COMPLETED' },
      ]),
    });

    // When it runs
    await testRuns.start(DESIGNER, 'failing');
    const run = await testRuns.settled('failing');

    // Then the first passed, the second failed with the runner's reason
    expect(run).toMatchObject({ status: 'finished', passed: 1, failed: 1, notRun: 0 });
    expect(run?.results[0]).toMatchObject({ name: 'Die Aufgabe ist offen', outcome: 'passed' });
    expect(run?.results[1]).toMatchObject({
      name: 'Die Aufgabe ist schon erledigt',
      outcome: 'failed',
      failure: 'instruction #2 ASSERT_ELEMENT_INSTANCES: Task_Answer expected IS_COMPLETED but is active',
    });
  }, 120_000);

  it('names a malformed test file as a failed result instead of breaking the run', async () => {
    // Given a test file that is no JSON, one with an unknown instruction, and a good one
    drafts.set('malformed', {
      ...shipped,
      'a-broken.test.json': '{ "testCases": [ { "name": "halb',
      'b-unknown.test.json': JSON.stringify({
        testCases: [{ name: 'Unbekannte Anweisung', instructions: [{ type: 'FLY_TO_THE_MOON' }] }],
      }),
      'general-inquiry.test.json': testFile([{ name: 'Die Aufgabe ist offen', state: 'IS_ACTIVE' }]),
    });
    const overview = await testRuns.overview('malformed');
    expect(overview?.files.map((file) => [file.name, file.problem])).toEqual([
      ['a-broken.test.json', 'invalid-json'],
      ['b-unknown.test.json', undefined],
      ['general-inquiry.test.json', undefined],
    ]);

    // When it runs
    await testRuns.start(DESIGNER, 'malformed');
    const run = await testRuns.settled('malformed');

    // Then the broken files fail with the parser's words, the good test case passes
    expect(run?.status).toBe('finished');
    expect(run?.results.map((result) => [result.file, result.name, result.outcome])).toEqual([
      ['a-broken.test.json', 'a-broken.test.json', 'failed'],
      ['b-unknown.test.json', 'Unbekannte Anweisung', 'failed'],
      ['general-inquiry.test.json', 'Die Aufgabe ist offen', 'passed'],
    ]);
    expect(run?.results[0]?.failure).toMatch(/^not valid JSON: /);
    expect(run?.results[1]?.failure).toMatch(/FLY_TO_THE_MOON/);
  }, 120_000);

  it('runs at most the limit of test cases and lists the rest as not run', async () => {
    // Given a small limit and more test cases than it allows
    const limited = createDesignerTestRunService({
      drafts: { files: async (slug) => drafts.get(slug), saveFile: async () => false },
      run: createServiceFilesRunner({
        db: system.db,
        temporal: system.temporalClient,
        caseStarts: system.services.caseStarts,
        messages: system.services.messages,
      }),
      limits: { maxTestCases: 1, runTimeMs: 60_000, instructionTimeoutMs: 2_000 },
    });
    drafts.set('limited', {
      ...shipped,
      'general-inquiry.test.json': testFile([
        { name: 'Erster', state: 'IS_ACTIVE' },
        { name: 'Zweiter', state: 'IS_ACTIVE' },
      ]),
    });

    // When it runs
    await limited.start(DESIGNER, 'limited');
    const run = await limited.settled('limited');

    // Then the first ran, the second did not
    expect(run?.results.map((result) => [result.name, result.outcome, result.notRun])).toEqual([
      ['Erster', 'passed', undefined],
      ['Zweiter', 'not-run', 'limit'],
    ]);

    // And with no time left, no test case starts at all
    const noTime = createDesignerTestRunService({
      drafts: { files: async (slug) => drafts.get(slug), saveFile: async () => false },
      run: createServiceFilesRunner({
        db: system.db,
        temporal: system.temporalClient,
        caseStarts: system.services.caseStarts,
        messages: system.services.messages,
      }),
      limits: { maxTestCases: 25, runTimeMs: 0, instructionTimeoutMs: 2_000 },
    });
    await noTime.start(DESIGNER, 'limited');
    expect((await noTime.settled('limited'))?.results.map((result) => result.notRun)).toEqual(['time', 'time']);
  }, 120_000);

  it('runs at most two test-runs at once over all services', async () => {
    // Given three drafts with tests
    for (const slug of ['parallel-a', 'parallel-b', 'parallel-c']) {
      drafts.set(slug, {
        ...shipped,
        'general-inquiry.test.json': testFile([{ name: 'Die Aufgabe ist offen', state: 'IS_ACTIVE' }]),
      });
    }

    // When all three are started one after the other, the third is refused while the two run
    expect(await testRuns.start(DESIGNER, 'parallel-a')).toEqual({ ok: true });
    expect(await testRuns.start(DESIGNER, 'parallel-b')).toEqual({ ok: true });
    expect(await testRuns.start(DESIGNER, 'parallel-c')).toEqual({ ok: false, reason: 'busy' });
    await testRuns.settled('parallel-a');
    await testRuns.settled('parallel-b');
    expect(await testRuns.start(DESIGNER, 'parallel-c')).toEqual({ ok: true });
    expect((await testRuns.settled('parallel-c'))?.passed).toBe(1);
  }, 120_000);

  it('runs one test-run per service at a time and refuses a draft without test files', async () => {
    // Given a draft with tests whose run has started
    drafts.set('once', {
      ...shipped,
      'general-inquiry.test.json': testFile([{ name: 'Die Aufgabe ist offen', state: 'IS_ACTIVE' }]),
    });
    expect(await testRuns.start(DESIGNER, 'once')).toEqual({ ok: true });

    // When the designer starts it again before it ends, it is refused; after it ended, it runs again
    expect(await testRuns.start(DESIGNER, 'once')).toEqual({ ok: false, reason: 'running' });
    await testRuns.settled('once');
    expect(await testRuns.start(DESIGNER, 'once')).toEqual({ ok: true });
    await testRuns.settled('once');

    // And a draft without test files, or no draft at all, is refused
    const { 'general-inquiry.test.json': _tests, ...withoutTests } = shipped;
    drafts.set('untested', withoutTests);
    expect(await testRuns.start(DESIGNER, 'untested')).toEqual({ ok: false, reason: 'no-tests' });
    expect(await testRuns.start(DESIGNER, 'no-such-service')).toEqual({ ok: false, reason: 'not-found' });
  }, 120_000);

  it('creates a test file from the skeleton that starts at the draft’s start event, and it passes as it is', async () => {
    // Given a draft without test files
    const { 'general-inquiry.test.json': _tests, ...withoutTests } = shipped;
    drafts.set('skeleton', withoutTests);

    // When the designer creates "anfrage" (a name taken or malformed is refused)
    expect(await testRuns.createTestFile(DESIGNER, 'skeleton', 'anfrage', 'de')).toEqual({
      ok: true,
      name: 'anfrage.test.json',
    });
    expect(await testRuns.createTestFile(DESIGNER, 'skeleton', 'anfrage.test.json', 'de')).toEqual({
      ok: false,
      error: 'taken',
    });
    expect(await testRuns.createTestFile(DESIGNER, 'skeleton', '../x', 'de')).toEqual({ ok: false, error: 'invalid' });

    // Then it names the start event, and running it passes
    const skeleton = drafts.get('skeleton')?.['anfrage.test.json'] ?? '';
    expect(skeleton).toContain('"processDefinitionId": "general-inquiry"');
    expect(skeleton).toContain('StartEvent_Submitted');
    await testRuns.start(DESIGNER, 'skeleton');
    const run = await testRuns.settled('skeleton');
    expect(run?.results.map((result) => [result.name, result.outcome, result.failure])).toEqual([
      ['Neuer Testfall', 'passed', undefined],
    ]);
  }, 120_000);
});

describe('the test-run pages', () => {
  let system: System;
  let designer: WebClient;
  let caseworker: WebClient;

  /** A draft as the designer's "open draft" makes it: the service's files, stored for the slug. */
  async function draftOf(slug: string, files: ServiceFiles) {
    const [petra] = await system.db
      .select({ id: staff.id })
      .from(staff)
      .where(eq(staff.email, DEMO_ACCOUNTS.administrator.email));
    if (!petra) throw new Error('no demo designer');
    const drafts = createServiceDraftRepository(system.db);
    const { created } = await drafts.createIfAbsent({ slug, files, basedOnVersionId: null, staffId: petra.id });
    if (!created) await drafts.replaceFiles(slug, files, petra.id);
  }

  beforeAll(async () => {
    system = await startTestSystem();
    designer = new WebClient(system.url);
    await designer.login(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD, true);
    caseworker = new WebClient(system.url);
    await caseworker.login(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD, true);
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('a designer runs the draft’s tests with a POST and reads each result on the page afterwards', async () => {
    // Given a draft of the general inquiry with its shipped test file
    const shipped = await folderFiles(path.join(CATALOG_DIR, 'general-inquiry'));
    await draftOf('general-inquiry', shipped);
    const page = await designer.get('/staff/designer/general-inquiry/tests');
    expect(page.status).toBe(200);
    expect(page.html).toContain('href="/staff/designer/general-inquiry/files/general-inquiry.test.json"');
    expect(page.html).toContain('Allgemeine Anfrage: Antwort im Portal, kein Rückruf');
    expect(page.html).toContain('Noch kein Lauf.');

    // When the designer runs them
    const started = await designer.submit('/staff/designer/general-inquiry/tests/run', {});
    expect(started.status).toBe(303);
    expect(started.headers.get('location')).toBe('/staff/designer/general-inquiry/tests?done=started');

    // Then the page shows the run, and once it ended every test case as passed
    const finished = await eventually(
      async () => {
        const result = await designer.get('/staff/designer/general-inquiry/tests');
        return result.html.includes('Die Tests laufen noch.') ? undefined : result.html;
      },
      60_000,
      'the end of the test-run',
    );
    const count = JSON.parse(shipped['general-inquiry.test.json'] ?? '').testCases.length as number;
    expect(finished).toContain(`${count} bestanden, 0 fehlgeschlagen, 0 nicht ausgeführt`);
    expect(finished.match(/✓ Bestanden/g)?.length).toBe(count);
    expect(finished).toContain('Gestartet von Petra Berg');
  }, 120_000);

  it('shows a failing test case with the runner’s reason, in English too', async () => {
    // Given a draft whose test expects the answer task done right after the start
    const shipped = await folderFiles(path.join(CATALOG_DIR, 'general-inquiry'));
    await draftOf('failing-inquiry', {
      ...shipped,
      'general-inquiry.test.json': testFile([{ name: 'Schon erledigt', state: 'IS_COMPLETED' }]),
    });

    // When it runs
    await designer.get('/staff/designer/failing-inquiry/tests?lang=en');
    expect((await designer.submit('/staff/designer/failing-inquiry/tests/run', {})).status).toBe(303);

    // Then the result names the failed instruction
    const finished = await eventually(
      async () => {
        const result = await designer.get('/staff/designer/failing-inquiry/tests?lang=en');
        return result.html.includes('The tests are still running.') ? undefined : result.html;
      },
      60_000,
      'the end of the test-run',
    );
    expect(finished).toContain('0 passed, 1 failed, 0 not run');
    expect(finished).toContain('✗ Failed');
    expect(finished).toContain(
      'instruction #2 ASSERT_ELEMENT_INSTANCES: Task_Answer expected IS_COMPLETED but is active',
    );
  }, 120_000);

  it('creates a new test file from the skeleton and opens it in the editor; a bad name comes back at the field', async () => {
    // Given a draft
    const shipped = await folderFiles(path.join(CATALOG_DIR, 'general-inquiry'));
    await draftOf('new-tests', shipped);
    await designer.get('/staff/designer/new-tests/tests');

    // When the name is malformed, the page comes back with the error at the field and the input kept
    const refused = await designer.submit('/staff/designer/new-tests/tests/new', { name: 'mit Leerzeichen' });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('id="name-error"');
    expect(refused.html).toContain('value="mit Leerzeichen"');
    expect(refused.html).toContain('aria-invalid="true"');

    // And a good name makes the file and opens the editor
    const created = await designer.submit('/staff/designer/new-tests/tests/new', { name: 'rueckruf' });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/staff/designer/new-tests/files/rueckruf.test.json');
    const draft = await createServiceDraftRepository(system.db).findBySlug('new-tests');
    expect(JSON.parse(draft?.files['rueckruf.test.json'] ?? '{}').testCases[0].instructions[0]).toMatchObject({
      type: 'CREATE_PROCESS_INSTANCE',
      processDefinitionSelector: { processDefinitionId: 'general-inquiry' },
    });
  }, 60_000);

  it('a caseworker gets 404 for the page and the POSTs (ADR 0003); no draft and a malformed slug are 404 too', async () => {
    // Given a draft and a caseworker without the designer role
    const shipped = await folderFiles(path.join(CATALOG_DIR, 'general-inquiry'));
    await draftOf('general-inquiry', shipped);

    // Then the caseworker finds nothing there, even with a valid CSRF token of their own
    expect((await caseworker.get('/staff/designer/general-inquiry/tests')).status).toBe(404);
    await caseworker.get('/staff/profile');
    expect((await caseworker.submit('/staff/designer/general-inquiry/tests/run', {})).status).toBe(404);
    await caseworker.get('/staff/profile');
    expect((await caseworker.submit('/staff/designer/general-inquiry/tests/new', { name: 'x' })).status).toBe(404);

    // And for the designer a service without a draft, or no slug at all, does not exist
    expect((await designer.get('/staff/designer/no-such-draft/tests')).status).toBe(404);
    expect((await designer.get('/staff/designer/Not_A_Slug/tests')).status).toBe(404);
  }, 60_000);

  it('refuses a run without the CSRF token', async () => {
    const response = await designer.post('/staff/designer/general-inquiry/tests/run', {});
    expect(response.status).toBe(403);
  });
});

describe('the Probelauf', () => {
  let system: System;
  let designer: WebClient;
  let otherDesigner: WebClient;
  let caseworker: WebClient;

  beforeAll(async () => {
    system = await startTestSystem();
    // The general inquiry as it shipped with its own answer mail (ADR 0029 left mails to the platform): the trial
    // needs a job for the designer to complete by hand.
    const shipped = {
      ...(await folderFiles(path.join(CATALOG_DIR, 'general-inquiry'))),
      'general-inquiry.bpmn': await readFile(
        new URL('../../engine/interpreter/fixtures/general-inquiry.bpmn', import.meta.url),
        'utf8',
      ),
    };
    const [petra] = await system.db
      .select({ id: staff.id })
      .from(staff)
      .where(eq(staff.email, DEMO_ACCOUNTS.administrator.email));
    if (!petra) throw new Error('no demo designer');
    // (the test-run pages above may have left a draft of the shipped files: this one replaces it)
    const serviceDrafts = createServiceDraftRepository(system.db);
    const { created } = await serviceDrafts.createIfAbsent({
      slug: 'general-inquiry',
      files: shipped,
      basedOnVersionId: null,
      staffId: petra.id,
    });
    if (!created) await serviceDrafts.replaceFiles('general-inquiry', shipped, petra.id);
    designer = new WebClient(system.url);
    await designer.login(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD, true);
    caseworker = new WebClient(system.url);
    await caseworker.login(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD, true);
    // A second service designer, in the caseworkers' group: sees neither the first one's trial nor its tasks.
    const [second] = await system.db
      .insert(staff)
      .values({
        email: 'zweite.designerin@probelauf.example',
        name: 'Zweite Designerin',
        passwordHash: await hashPassword('Probelauf-2026-Zwei'),
        roles: ['service_designer', 'caseworker'],
      })
      .returning();
    if (!second) throw new Error('no second designer');
    await system.db.insert(staffGroups).values({ staffId: second.id, groupId: 'wirtschaftsfoerderung' });
    otherDesigner = new WebClient(system.url);
    await otherDesigner.login('zweite.designerin@probelauf.example', 'Probelauf-2026-Zwei', true);
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  /** The trial page's link to its open task, and the token id in it. */
  const taskLink = (html: string) => /href="\/staff\/designer\/general-inquiry\/trial\/tasks\/([^"]+)"/.exec(html)?.[1];

  it('the designer starts a throwaway case, completes its task as caseworker and its mail job by hand, then ends it', async () => {
    // Given the draft's trial page: its start form
    const start = await designer.get('/staff/designer/general-inquiry/trial');
    expect(start.status).toBe(200);
    expect(start.html).toContain('name="subject"');

    // When the start form is sent incomplete, it comes back with the errors and what was typed
    const refused = await designer.submit('/staff/designer/general-inquiry/trial/start', { subject: 'Halle' });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('value="Halle"');
    expect(refused.html.match(/id="error-summary"/g)?.length).toBe(1);
    expect(refused.html).toContain('aria-invalid="true"');

    // When it is sent complete, as a company would
    const started = await designer.submit('/staff/designer/general-inquiry/trial/start', {
      subject: 'Probelauf Hallenerweiterung',
      message: 'Welche Förderung gibt es für unsere Halle?',
      contactChannel: 'email',
    });
    expect(started.status).toBe(303);

    // Then the trial page shows the case with its staff task, for the designer to act on as caseworker
    const trial = await designer.get('/staff/designer/general-inquiry/trial');
    expect(trial.html).toContain('Anfrage beantworten</a> (als Sachbearbeitung)');
    expect(trial.html).toContain('<dt>Aktuelle Schritte</dt><dd>Anfrage beantworten</dd>');
    const tokenId = taskLink(trial.html);
    expect(tokenId).toBeDefined();
    const number = /<dt>Vorgang<\/dt><dd>([^<]+)<\/dd>/.exec(trial.html)?.[1] ?? '';
    const [row] = await system.db.select().from(cases).where(eq(cases.number, number));
    expect(row?.submissionToken).toMatch(/^scenario:/);

    // And nobody else meets the case: not in the inbox of its group, not in the case search of
    // an administrator, not on the task page by the task's id, not on another designer's trial page
    expect((await caseworker.get('/staff/tasks?view=all')).html).not.toContain(number);
    expect((await designer.get('/staff/tasks?view=all')).html).not.toContain(number);
    expect((await designer.get(`/staff/cases?number=${number}`)).html).not.toContain(`>${number}<`);
    const [task] = await system.db
      .select()
      .from(tasks)
      .where(eq(tasks.caseId, row?.id ?? ''));
    expect((await caseworker.get(`/staff/tasks/${task?.id}`)).status).toBe(404);
    expect((await designer.get(`/staff/tasks/${task?.id}`)).status).toBe(404);
    const others = await otherDesigner.get('/staff/designer/general-inquiry/trial');
    expect(others.html).not.toContain(number);
    expect((await otherDesigner.submit(`/staff/designer/general-inquiry/trial/tasks/${tokenId}`, {})).status).toBe(404);
    expect((await caseworker.get('/staff/designer/general-inquiry/trial')).status).toBe(404);

    // When the designer answers with too short a text, the task form comes back with the error
    await designer.get(`/staff/designer/general-inquiry/trial/tasks/${tokenId}`);
    const short = await designer.submit(`/staff/designer/general-inquiry/trial/tasks/${tokenId}`, { answer: 'Kurz' });
    expect(short.status).toBe(422);
    expect(short.html).toContain('\nKurz</textarea>');
    expect(short.html).toContain('aria-invalid="true"');

    // And completes it properly
    const answered = await designer.submit(`/staff/designer/general-inquiry/trial/tasks/${tokenId}`, {
      answer: 'Das Landesprogramm passt zu Ihrem Vorhaben.',
    });
    expect(answered.status).toBe(303);
    // A second click finds the task done: nothing to complete any more
    await designer.get('/staff/designer/general-inquiry/trial');
    expect(
      (
        await designer.submit(`/staff/designer/general-inquiry/trial/tasks/${tokenId}`, {
          answer: 'Das Landesprogramm passt zu Ihrem Vorhaben.',
        })
      ).status,
    ).toBe(404);

    // Then the e-mail job waits for the designer instead of sending a mail; completing it ends the case
    const waiting = await eventually(
      async () => {
        const page = await designer.get('/staff/designer/general-inquiry/trial');
        return /trial\/jobs\/([^"]+)"/.exec(page.html)?.[1];
      },
      15_000,
      'the e-mail job',
    );
    // (its output, if given, must be a JSON object: anything else comes back at the field, as typed)
    const notAnObject = await designer.submit(`/staff/designer/general-inquiry/trial/jobs/${waiting}`, {
      variables: '[1, 2]',
    });
    expect(notAnObject.status).toBe(422);
    expect(notAnObject.html).toContain('[1, 2]</textarea>');
    expect(notAnObject.html).toContain(`id="job-${waiting}-error"`);
    const sent = await designer.submit(`/staff/designer/general-inquiry/trial/jobs/${waiting}`, {
      variables: '{"mailGesendet": true}',
    });
    expect(sent.status).toBe(303);
    await designer.get('/staff/designer/general-inquiry/trial');
    expect((await designer.submit(`/staff/designer/general-inquiry/trial/jobs/${waiting}`, {})).status).toBe(404);
    await eventually(
      async () =>
        (await designer.get('/staff/designer/general-inquiry/trial')).html.includes('<dd>abgeschlossen</dd>')
          ? true
          : undefined,
      15_000,
      'the case to complete',
    );
    expect(
      await system.db
        .select()
        .from(outboxMails)
        .where(eq(outboxMails.caseId, row?.id ?? '')),
    ).toEqual([]);
    const [completed] = await system.db
      .select()
      .from(cases)
      .where(eq(cases.id, row?.id ?? ''));
    expect(completed?.variables).toMatchObject({ mailGesendet: true });

    // When the designer ends the trial, the case is deleted
    expect((await designer.submit('/staff/designer/general-inquiry/trial/end', {})).status).toBe(303);
    expect(
      await system.db
        .select()
        .from(cases)
        .where(eq(cases.id, row?.id ?? '')),
    ).toEqual([]);
    expect((await designer.get('/staff/designer/general-inquiry/trial')).html).toContain('name="subject"');
  }, 120_000);

  it('a draft that does not compile cannot be tried: the page names the problem', async () => {
    // Given a draft whose BPMN is broken
    const shipped = await folderFiles(path.join(CATALOG_DIR, 'general-inquiry'));
    const [petra] = await system.db
      .select({ id: staff.id })
      .from(staff)
      .where(eq(staff.email, DEMO_ACCOUNTS.administrator.email));
    await createServiceDraftRepository(system.db).createIfAbsent({
      slug: 'broken-trial',
      files: { ...shipped, 'general-inquiry.bpmn': '<bpmn:definitions' },
      basedOnVersionId: null,
      staffId: petra?.id ?? '',
    });

    // Then the trial page shows why instead of a start form, and a start is refused
    const page = await designer.get('/staff/designer/broken-trial/trial');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Der Entwurf lässt sich nicht starten.');
    expect(page.html).not.toContain('name="subject"');
    expect((await designer.submit('/staff/designer/broken-trial/trial/start', { subject: 'x' })).status).toBe(422);
  }, 60_000);

  it('a trial older than a day is ended and deleted by the sweep, also one a restart forgot', async () => {
    // Given a running trial
    await designer.get('/staff/designer/general-inquiry/trial');
    await designer.submit('/staff/designer/general-inquiry/trial/start', {
      subject: 'Probelauf von gestern',
      message: 'Eine Frage, die liegen bleibt.',
      contactChannel: 'email',
    });
    const number = /<dt>Vorgang<\/dt><dd>([^<]+)<\/dd>/.exec(
      (await designer.get('/staff/designer/general-inquiry/trial')).html,
    )?.[1];
    expect(number).toBeDefined();

    // When a process started after a restart (it knows no trial) sweeps a day and a bit later
    const later = createDesignerTrialService({
      db: system.db,
      drafts: { files: async () => undefined },
      services: createServiceRepository(system.db),
      catalog: system.services.catalog,
      cases: createCaseRepository(system.db),
      caseStarts: system.services.caseStarts,
      temporal: system.temporalClient,
      erase: scenarioCaseEraser(system.db, system.temporalClient),
      clock: () => new Date(Date.now() + TRIAL_LIFETIME_MS + 60_000),
    });
    expect(await later.sweep()).toBeGreaterThanOrEqual(1);

    // Then the case is gone
    expect(
      await system.db
        .select()
        .from(cases)
        .where(eq(cases.number, number ?? '')),
    ).toEqual([]);
  }, 60_000);
});
