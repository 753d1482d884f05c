import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../engine/db/schema.js';
import { zipToFiles } from '../../engine/designer/service-archive.js';
import { definitionFromFiles, validateServiceFiles } from '../../engine/designer/service-files.js';
import { createAccountRepository } from '../../engine/repositories/account.repository.js';
import { createServiceDraftRepository } from '../../engine/repositories/service-draft.repository.js';
import { createServiceRepository } from '../../engine/repositories/service.repository.js';
import { createAuthService, type StaffSession } from '../../engine/services/auth.service.js';
import { createDesignerService, type DesignerService } from '../../engine/services/designer.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { newSubmissionToken } from '../../engine/web/http.js';
import type { WebClient } from '../browserless-client.js';
import { demoCompany, openTaskOf } from '../journeys.js';
import { eventually, startTestSystem } from '../system.js';

// Invariant: a service designed in the browser's service layer is validated by element, publishes as a new
// immutable version that companies can start at once (no restart), leaves running cases on their version,
// refuses new starts while paused, and leaves and re-enters as a zip byte for byte.

type System = Awaited<ReturnType<typeof startTestSystem>>;
let system: System;
let designer: DesignerService;
let petra: StaffSession;
let jonas: StaffSession;
let company: WebClient;

beforeAll(async () => {
  system = await startTestSystem();
  designer = createDesignerService({
    services: createServiceRepository(system.db),
    drafts: createServiceDraftRepository(system.db),
    catalog: system.services.catalog,
  });
  const auth = createAuthService({ accounts: createAccountRepository(system.db) });
  const designerLogin = await auth.loginStaff(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD);
  const caseworkerLogin = await auth.loginStaff(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD);
  if (!designerLogin || !caseworkerLogin) throw new Error('demo staff missing');
  petra = designerLogin;
  jonas = caseworkerLogin;
  company = await demoCompany(system);
});
afterAll(async () => {
  await system?.stop();
});

let counter = 0;
const uniqueSlug = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

async function newInquiry(prefix: string): Promise<string> {
  const slug = uniqueSlug(prefix);
  const created = await designer.create(petra, {
    slug,
    titleDe: `Testanfrage ${slug}`,
    titleEn: `Test inquiry ${slug}`,
    template: 'inquiry',
  });
  expect(created).toEqual({ ok: true });
  return slug;
}

/** A company starts a case of the service over HTTP, as in the portal; the case's id. */
async function startOverHttp(slug: string, subject: string): Promise<string> {
  await company.get(`/services/${slug}/start?new=1`);
  await company.get(`/services/${slug}/start`);
  const sent = await company.submit(`/services/${slug}/start`, {
    subject,
    message: 'Eine Frage an die Wirtschaftsförderung.',
  });
  const caseId = /\/cases\/([0-9a-f-]{36})/.exec(sent.headers.get('location') ?? '')?.[1];
  if (!caseId) throw new Error(`no case started (${sent.status}): ${sent.html.slice(0, 300)}`);
  return caseId;
}

const completedCase = (caseId: string) =>
  eventually(
    async () => {
      const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
      return row?.status === 'completed' ? row : undefined;
    },
    20_000,
    'the case to complete',
  );

describe('the service designer', () => {
  it('refuses a new service with a malformed or taken slug and missing titles, by field', async () => {
    const malformed = await designer.create(petra, { slug: 'Ä b', titleDe: '', titleEn: ' ', template: 'nope' });
    expect(malformed.ok).toBe(false);
    if (malformed.ok) return;
    expect(malformed.errors.map((error) => error.field).sort()).toEqual(['slug', 'template', 'titleDe', 'titleEn']);
    const taken = await designer.create(petra, {
      slug: 'general-inquiry',
      titleDe: 'x',
      titleEn: 'x',
      template: 'empty',
    });
    expect(taken).toEqual({ ok: false, errors: [{ field: 'slug', message: expect.stringContaining('vergeben') }] });
  });

  it('names the element of a problem and refuses to publish while it remains', async () => {
    const slug = await newInquiry('designer-problems');
    const draft = await designer.draft(slug);
    const bpmn = `${slug}.bpmn`;
    const saved = await designer.saveFile(
      petra,
      slug,
      bpmn,
      (draft?.files[bpmn] ?? '').replace('<zeebe:assignmentDefinition candidateGroups="wirtschaftsfoerderung" />', ''),
    );
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    const problem = saved.problems.find((p) => p.severity === 'error');
    expect(problem).toMatchObject({ file: bpmn, elementId: 'Task_Answer', source: 'bpmnlint' });
    expect(problem?.message).toContain('„Anfrage beantworten“ (Task_Answer) hat keine Zuständigkeit');

    const refused = await designer.publish(petra, slug);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.problems).toContainEqual(expect.objectContaining({ elementId: 'Task_Answer' }));
    expect(await system.services.catalog.current(slug)).toBeUndefined();
    // The draft is kept as it was.
    expect((await designer.draft(slug))?.files[bpmn]).not.toContain('assignmentDefinition');
  });

  it('refuses file names with folders and files over 2 MB', async () => {
    const slug = await newInquiry('designer-names');
    expect(await designer.saveFile(petra, slug, '../evil.bpmn', 'x')).toEqual({ ok: false, reason: 'invalid-name' });
    expect(await designer.saveFile(petra, slug, 'big.json', 'x'.repeat(2 * 1024 * 1024 + 1))).toEqual({
      ok: false,
      reason: 'too-large',
    });
    expect(await designer.saveFile(petra, 'no-such-service', 'a.json', '{}')).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });

  it('publishes a new service live: a company starts a case at once and a caseworker completes it', async () => {
    const slug = await newInquiry('designer-live');
    const published = await designer.publish(petra, slug);
    expect(published).toMatchObject({ ok: true, version: 1, created: true });
    if (!published.ok) return;
    expect(published.diff.elementsAdded.map((element) => element.id)).toContain('Task_Answer');
    expect(await designer.draft(slug)).toBeUndefined();

    const caseId = await startOverHttp(slug, 'Live ohne Neustart');
    const task = await openTaskOf(system, caseId);
    await system.services.tasks.complete(jonas, task.id, newSubmissionToken(), {
      answer: 'Ja, die neue Leistung läuft ohne Neustart.',
    });
    expect((await completedCase(caseId)).publicStatus).toBe('Beantwortet');

    const listed = (await designer.list()).find((service) => service.slug === slug);
    expect(listed?.versions).toEqual([expect.objectContaining({ version: 1, publishedBy: petra.staffId })]);
  });

  it('keeps a v1 case on v1 when v2 is published, says what changed, and says when nothing did', async () => {
    const slug = await newInquiry('designer-versions');
    expect(await designer.publish(petra, slug)).toMatchObject({ ok: true, version: 1 });
    const v1 = await system.services.catalog.current(slug);
    const v1Case = await startOverHttp(slug, 'Auf Version 1');
    const v1Task = await openTaskOf(system, v1Case);

    const draft = await designer.openDraft(petra, slug);
    expect(draft?.basedOnVersion).toBe(1);
    const bpmn = `${slug}.bpmn`;
    await designer.saveFile(
      petra,
      slug,
      bpmn,
      (draft?.files[bpmn] ?? '').replace('name="Anfrage beantworten"', 'name="Anfrage prüfen und beantworten"'),
    );
    const diff = await designer.diff(slug);
    expect(diff?.elementsChanged).toEqual([
      expect.objectContaining({ id: 'Task_Answer', name: 'Anfrage prüfen und beantworten', changes: ['name'] }),
    ]);
    const v2 = await designer.publish(petra, slug);
    expect(v2).toMatchObject({ ok: true, version: 2, created: true });

    const v2Case = await startOverHttp(slug, 'Auf Version 2');
    expect((await openTaskOf(system, v2Case)).name).toBe('Anfrage prüfen und beantworten');
    expect(v1Task.name).toBe('Anfrage beantworten');
    await system.services.tasks.complete(jonas, v1Task.id, newSubmissionToken(), {
      answer: 'Ihr Vorgang bleibt auf Version 1.',
    });
    expect((await completedCase(v1Case)).serviceVersionId).toBe(v1?.versionId);

    const service = await designer.service(slug);
    expect(service?.versions.map((version) => [version.version, version.runningCases])).toEqual([
      [2, 1],
      [1, 0],
    ]);

    await designer.openDraft(petra, slug);
    const again = await designer.publish(petra, slug);
    expect(again).toMatchObject({ ok: true, version: 2, created: false, diff: { unchanged: true } });
  });

  it('warns when a newer version was published since the draft was opened', async () => {
    const slug = await newInquiry('designer-stale');
    await designer.publish(petra, slug);
    const draft = await designer.openDraft(petra, slug);
    const files = draft?.files ?? {};
    const bpmn = `${slug}.bpmn`;
    // Meanwhile version 2 comes from the command line (the same path as \`lotse publish\`).
    const changed = { ...files, [bpmn]: (files[bpmn] ?? '').replace('name="Antwort senden"', 'name="Antwort mailen"') };
    expect(await designer.publishFiles(undefined, changed)).toMatchObject({ ok: true, version: 2 });
    const problems = (await designer.validate(slug)) ?? [];
    expect(problems).toContainEqual(
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('beruht auf Version 1') }),
    );
    // The diff is against version 2: publishing the draft would rename the task back.
    expect((await designer.diff(slug))?.elementsChanged).toEqual([
      expect.objectContaining({ id: 'Task_SendAnswer', name: 'Antwort senden', changes: ['name'] }),
    ]);
  });

  it('refuses new starts of a paused service with its message, and starts again once resumed', async () => {
    const slug = await newInquiry('designer-pause');
    await designer.publish(petra, slug);
    // A company has the start form open when the service is paused.
    await company.get(`/services/${slug}/start?new=1`);
    await company.get(`/services/${slug}/start`);
    const openForm = { token: company.hidden('_token'), csrf: company.hidden('_csrf') };
    expect(openForm.token).toBeTruthy();
    const message = { de: 'Wegen Umstellung bis Montag pausiert.', en: 'Paused until Monday for a changeover.' };
    expect(await designer.pause(petra, slug, message)).toBe(true);

    const catalogPage = await company.get('/services');
    expect(catalogPage.html).toContain('Wegen Umstellung bis Montag pausiert.');
    expect(catalogPage.html).not.toContain(`/services/${slug}/start?new=1`);
    const startPage = await company.get(`/services/${slug}/start?new=1`);
    expect(startPage.html).toContain('Wegen Umstellung bis Montag pausiert.');
    expect(startPage.html).not.toContain('name="subject"');
    const refused = await company.submit(
      `/services/${slug}/start`,
      { subject: 'Trotzdem', message: 'Bitte starten.' },
      openForm,
    );
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('Wegen Umstellung bis Montag pausiert.');
    // What was typed comes back.
    expect(refused.html).toContain('Trotzdem');
    expect((await designer.service(slug))?.paused).toEqual(message);

    const english = await company.get(`/services/${slug}/start?lang=en`);
    expect(english.html).toContain('Paused until Monday for a changeover.');
    await company.get('/services?lang=de');

    expect(await designer.resume(petra, slug)).toBe(true);
    const caseId = await startOverHttp(slug, 'Nach der Pause');
    expect(caseId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a company’s open draft while the service is paused and sends it once resumed', async () => {
    const slug = await newInquiry('designer-pause-draft');
    // Two start steps: the start goes through a draft.
    const draft = await designer.draft(slug);
    const manifest = JSON.parse(draft?.files['service.json'] ?? '{}') as Record<string, unknown>;
    const extraForm = `${slug}-contact`;
    await designer.saveFile(
      petra,
      slug,
      `${extraForm}.form`,
      JSON.stringify({
        id: extraForm,
        type: 'default',
        schemaVersion: 16,
        components: [{ id: 'Field_Phone', type: 'textfield', key: 'phone', label: 'Telefon' }],
      }),
    );
    await designer.saveFile(
      petra,
      slug,
      'service.json',
      JSON.stringify({
        ...manifest,
        forms: [...(manifest.forms as string[]), `${extraForm}.form`],
        steps: [`${slug}-start`, extraForm],
      }),
    );
    expect(await designer.publish(petra, slug)).toMatchObject({ ok: true, version: 1 });

    const started = await company.get(`/services/${slug}/start`);
    const draftId = /^\/drafts\/([0-9a-f-]{36})\/steps\/1/.exec(started.headers.get('location') ?? '')?.[1];
    if (!draftId) throw new Error(`no draft (${started.status})`);
    await company.get(`/drafts/${draftId}/steps/1`);
    await company.submit(`/drafts/${draftId}/steps/1`, {
      subject: 'Entwurf in der Pause',
      message: 'Bleibt mein Entwurf erhalten?',
      _action: 'next',
    });
    await company.get(`/drafts/${draftId}/steps/2`);
    await company.submit(`/drafts/${draftId}/steps/2`, { phone: '0123 456', _action: 'next' });
    await company.get(`/drafts/${draftId}/review`);

    await designer.pause(petra, slug, { de: 'Kurz pausiert.', en: 'Briefly paused.' });
    const refused = await company.submit(`/drafts/${draftId}/submit`, {});
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('Kurz pausiert.');
    expect(refused.html).toContain(`/drafts/${draftId}/review`);
    const review = await company.get(`/drafts/${draftId}/review`);
    expect(review.html).toContain('Entwurf in der Pause');

    await designer.resume(petra, slug);
    const sent = await company.submit(`/drafts/${draftId}/submit`, {});
    expect(sent.headers.get('location')).toMatch(/^\/cases\/[0-9a-f-]{36}\?submitted=1$/);
  });

  it('exports a version as a zip and imports it back byte for byte', async () => {
    const slug = await newInquiry('designer-zip');
    await designer.saveFile(petra, slug, `${slug}.test.json`, '{ "name": "leer",\n  "instructions": [] }\n');
    const published = await designer.publish(petra, slug);
    expect(published).toMatchObject({ ok: true, version: 1 });
    const stored = await system.services.catalog.versionFiles(slug, 1);
    const exported = await designer.exportArchive(slug, 1);
    expect(exported?.fileName).toBe(`${slug}-v1.zip`);
    expect(exported?.reconstructed).toBe(false);
    const unpacked = zipToFiles(exported?.zip ?? Buffer.alloc(0));
    expect(unpacked).toEqual({ ok: true, files: stored?.files });
    // The same version exports to the same bytes.
    expect((await designer.exportArchive(slug))?.zip.equals(exported?.zip ?? Buffer.alloc(0))).toBe(true);

    const imported = await designer.importArchive(petra, exported?.zip ?? Buffer.alloc(0));
    expect(imported).toEqual({ ok: true, slug });
    expect((await designer.draft(slug))?.files).toEqual(stored?.files);
    expect(await designer.publish(petra, slug)).toMatchObject({ ok: true, created: false });
  });

  it('rebuilds the files of a version published before versions kept them, and says so', async () => {
    const slug = await newInquiry('designer-old');
    await designer.publish(petra, slug);
    const service = await createServiceRepository(system.db).findBySlug(slug);
    const { serviceVersions } = await import('../../engine/db/schema.js');
    await system.db.update(serviceVersions).set({ files: null }).where(eq(serviceVersions.serviceId, service!.id));
    const exported = await designer.exportArchive(slug, 1);
    expect(exported?.reconstructed).toBe(true);
    const unpacked = zipToFiles(exported?.zip ?? Buffer.alloc(0));
    if (!unpacked.ok) throw new Error('rebuilt zip does not unpack');
    expect(Object.keys(unpacked.files).sort()).toEqual(
      [
        `${slug}.bpmn`,
        `${slug}-answer.en.json`,
        `${slug}-answer.form`,
        `${slug}-start.en.json`,
        `${slug}-start.form`,
        'service.json',
      ].sort(),
    );
    // They compile to the same model. (Not to the same content hash: PostgreSQL's jsonb stored the forms with
    // their keys reordered, so publishing the rebuilt files makes a new version that behaves the same.)
    expect((await validateServiceFiles(unpacked.files)).filter((p) => p.severity === 'error')).toEqual([]);
    const rebuilt = await definitionFromFiles(unpacked.files);
    expect(rebuilt.model).toEqual((await system.services.catalog.current(slug))?.model);
  });
});

describe('the catalog shows what the designer wrote about a service', () => {
  it('category, description, required documents and expected duration, in German and in English', async () => {
    const slug = await newInquiry('designer-about');
    const saved = await designer.saveMetadata(petra, slug, {
      title: { de: `Messestand ${slug}`, en: `Trade fair stand ${slug}` },
      summary: { de: 'Ein Stand auf der Regionalmesse.', en: 'A stand at the regional fair.' },
      description: { de: 'Wir prüfen Ihre Anfrage <sofort>.', en: 'We check your request <at once>.' },
      category: 'Messen & Veranstaltungen',
      requiredDocuments: { de: ['Gewerbeanmeldung', 'Standskizze'], en: ['Business registration'] },
      expectedDuration: { de: 'etwa zwei Wochen', en: 'about two weeks' },
    });
    expect(saved).toEqual({ ok: true });
    expect(await designer.publish(petra, slug)).toMatchObject({ ok: true, version: 1 });

    const german = (await company.get('/services?lang=de')).html;
    const card = german.slice(german.indexOf(`Messestand ${slug}`) - 200, german.indexOf(`/services/${slug}/start`));
    expect(card).toContain('Messen &amp; Veranstaltungen');
    expect(card).toContain('Wir prüfen Ihre Anfrage &lt;sofort&gt;.');
    expect(card).toContain('<li>Gewerbeanmeldung</li><li>Standskizze</li>');
    expect(card).toContain('Voraussichtliche Dauer:</strong> etwa zwei Wochen');

    const english = (await company.get('/services?lang=en')).html;
    // A document without an English name keeps its German one.
    expect(english).toContain('<li>Business registration</li><li>Standskizze</li>');
    expect(english).toContain('Expected duration:</strong> about two weeks');
    await company.get('/services?lang=de');
  });
});
