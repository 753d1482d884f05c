import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { demoCaseworker } from '../journeys.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;
let designer: WebClient;
let caseworker: WebClient;
/** A new service of this file's own, made from the "Anfrage mit Antwort" template. */
const slug = `anfrage-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  system = await startTestSystem();
  designer = new WebClient(system.url);
  await designer.login(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD, true);
  caseworker = await demoCaseworker(system);
  await designer.get('/staff/designer/new');
  const created = await designer.submit('/staff/designer/new', {
    slug,
    titleDe: 'Anfrage zum Test',
    titleEn: 'Test inquiry',
    template: 'inquiry',
  });
  expect(created.status).toBe(303);
  expect(created.headers.get('location')).toBe(`/staff/designer/${slug}`);
});

afterAll(async () => {
  await system?.stop();
});

/** Every designer page, and each form's action (POSTed with the caseworker's own valid CSRF token). */
const PAGES = () => [
  '/staff/designer',
  '/staff/designer/new',
  `/staff/designer/${slug}`,
  `/staff/designer/${slug}/files/service.json`,
];
const ACTIONS = () => [
  '/staff/designer/new',
  '/staff/designer/import',
  `/staff/designer/${slug}/draft`,
  `/staff/designer/${slug}/metadata`,
  `/staff/designer/${slug}/files`,
  `/staff/designer/${slug}/files/service.json`,
  `/staff/designer/${slug}/files/service.json/delete`,
  `/staff/designer/${slug}/files/service.json/preview`,
  `/staff/designer/${slug}/publish`,
  `/staff/designer/${slug}/discard`,
  `/staff/designer/${slug}/pause`,
  `/staff/designer/${slug}/resume`,
];

describe('the designer is for service designers only', () => {
  it('answers a caseworker 404 on every page and every action (ADR 0003), and leaves the draft alone', async () => {
    for (const path of [...PAGES(), `/staff/designer/${slug}/export`]) {
      expect((await caseworker.get(path)).status, path).toBe(404);
    }
    await caseworker.get('/staff/profile');
    for (const path of ACTIONS()) expect((await caseworker.submit(path, {})).status, path).toBe(404);
    expect((await designer.get(`/staff/designer/${slug}/files/service.json`)).status).toBe(200);
  });

  it('shows the designer every page, with the entry in the staff menu', async () => {
    for (const path of PAGES()) expect((await designer.get(path)).status, path).toBe(200);
    expect((await designer.get('/staff/designer')).html).toContain('href="/staff/designer" aria-current="page"');
    expect((await caseworker.get('/staff/tasks')).html).not.toContain('href="/staff/designer"');
  });

  it('refuses a form without its CSRF token (403) and changes nothing', async () => {
    const before = (await designer.get(`/staff/designer/${slug}/files/service.json`)).html;
    const refused = await designer.post(`/staff/designer/${slug}/files/service.json`, { content: '{}' });
    expect(refused.status).toBe(403);
    expect((await designer.get(`/staff/designer/${slug}/files/service.json`)).html).toBe(before);
  });
});

describe('creating a service', () => {
  it('lists the new service as a draft that was never published', async () => {
    const list = await designer.get('/staff/designer');
    expect(list.html).toContain(`href="/staff/designer/${slug}"`);
    expect(list.html).toContain('Anfrage zum Test');
  });

  it('answers a taken or malformed slug and missing titles with 422, the errors at their fields and the input kept', async () => {
    await designer.get('/staff/designer/new');
    const taken = await designer.submit('/staff/designer/new', {
      slug,
      titleDe: '',
      titleEn: 'Kept title',
      template: 'inquiry',
    });
    expect(taken.status).toBe(422);
    expect(taken.html).toMatch(/id="slug-error"/);
    expect(taken.html).toMatch(/id="titleDe-error"/);
    expect(taken.html).toContain('value="Kept title"');
    expect(taken.html).toMatch(/<input type="text" id="slug" name="slug" value="[^"]+"[^>]*aria-invalid="true"/);

    const malformed = await designer.submit('/staff/designer/new', {
      slug: 'Nicht Gültig!',
      titleDe: 'A',
      titleEn: 'B',
      template: 'inquiry',
    });
    expect(malformed.status).toBe(422);
    expect(malformed.html).toMatch(/id="slug-error"/);
  });
});

describe('editing the draft without JavaScript', () => {
  it('saves a file from the textarea and shows the validation of that file on its page', async () => {
    await designer.get(`/staff/designer/${slug}/files/service.json`);
    const broken = await designer.submitMultipart(`/staff/designer/${slug}/files/service.json`, {
      content: '{ nicht json',
    });
    expect(broken.status).toBe(303);
    const page = await designer.get(broken.headers.get('location') ?? '');
    expect(page.html).toContain('{ nicht json');
    expect(page.html).toMatch(/designer-problem--error/);
  });

  it('answers the editors (Accept: application/json) with the file’s problems', async () => {
    const page = await designer.get(`/staff/designer/${slug}`);
    expect(page.status).toBe(200);
    const form = new FormData();
    form.append('_csrf', designer.hidden('_csrf') ?? '');
    form.append('content', new Blob(['{ auch nicht json']), 'content');
    const response = await fetch(new URL(`/staff/designer/${slug}/files/service.json`, system.url), {
      method: 'POST',
      body: form,
      headers: { cookie: designer.cookieHeader(), accept: 'application/json' },
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { ok: boolean; problems: { file: string; severity: string }[] };
    expect(answer.ok).toBe(true);
    expect(answer.problems.length).toBeGreaterThan(0);
    expect(answer.problems.every((problem) => problem.file === 'service.json')).toBe(true);
  });

  it('refuses to publish while errors remain: 422 with the list', async () => {
    await designer.get(`/staff/designer/${slug}`);
    const refused = await designer.submit(`/staff/designer/${slug}/publish`, {});
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/id="publish-errors"/);
    expect(refused.html).toContain(`/staff/designer/${slug}/files/service.json`);
  });

  it('a new file with a bad name is refused at the field, the name kept', async () => {
    await designer.get(`/staff/designer/${slug}`);
    const refused = await designer.submit(`/staff/designer/${slug}/files`, { name: '../böse.bpmn' });
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/id="newFile-error"/);
    expect(refused.html).toContain('value="../böse.bpmn"');
  });

  it('the metadata form answers missing titles and a bad retention with 422 at the fields', async () => {
    await designer.get(`/staff/designer/${slug}`);
    const refused = await designer.submit(`/staff/designer/${slug}/metadata`, {
      titleDe: '',
      titleEn: 'Test inquiry',
      summaryDe: 'Kurz',
      summaryEn: 'Short',
      retentionDays: 'viele',
      statusLabelsDe: 'in_review: In Prüfung',
      statusLabelsEn: '',
    });
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/id="titleDe-error"/);
    expect(refused.html).toMatch(/id="retentionDays-error"/);
    expect(refused.html).toMatch(/id="statusLabelsEn-error"/);
    expect(refused.html).toContain('in_review: In Prüfung');
  });

  it('pausing needs the message in both languages (refused, so the shipped service stays active)', async () => {
    await designer.get('/staff/designer/general-inquiry');
    const refused = await designer.submit('/staff/designer/general-inquiry/pause', {
      messageDe: 'Wartung',
      messageEn: '',
    });
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/id="messageEn-error"/);
    expect(refused.html).toContain('Wartung');
  });
});

describe('publishing, pausing and resuming', () => {
  it('publishes a valid draft as version 1 with the diff, then pauses it with a message and resumes it', async () => {
    // Given a new service from the "Anfrage mit Antwort" template, valid as it is
    const published = `antwort-${randomUUID().slice(0, 8)}`;
    await designer.get('/staff/designer/new');
    await designer.submit('/staff/designer/new', {
      slug: published,
      titleDe: 'Antwort zum Test',
      titleEn: 'Answer test',
      template: 'inquiry',
    });
    const page = await designer.get(`/staff/designer/${published}`);
    expect(page.html).not.toMatch(/designer-problem--error/);

    // When it is published
    const done = await designer.submit(`/staff/designer/${published}/publish`, {});

    // Then the confirmation names version 1 and lists what is new; the draft is gone
    expect(done.status).toBe(200);
    expect(done.html).toContain('Version 1 ist veröffentlicht');
    expect(done.html).toContain('Neue Elemente');
    expect(done.html).toContain('Kein Entwurf.');

    // When it is paused with a message in both languages, and resumed
    const paused = await designer.submit(`/staff/designer/${published}/pause`, {
      messageDe: 'Wegen Wartung bis Montag geschlossen.',
      messageEn: 'Closed for maintenance until Monday.',
    });
    expect(paused.status).toBe(303);
    const pausedPage = await designer.get(paused.headers.get('location') ?? '');
    expect(pausedPage.html).toContain('Pausiert');
    expect(pausedPage.html).toContain('Wegen Wartung bis Montag geschlossen.');
    const resumed = await designer.submit(`/staff/designer/${published}/resume`, {});
    expect(resumed.status).toBe(303);
    const resumedPage = await designer.get(resumed.headers.get('location') ?? '');
    expect(resumedPage.html).toContain('Aktiv');
    expect(resumedPage.html).not.toContain('Wegen Wartung');

    // And version 1 downloads as a zip
    const zip = await fetch(new URL(`/staff/designer/${published}/export?version=1`, system.url), {
      headers: { cookie: designer.cookieHeader() },
    });
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-disposition')).toMatch(/attachment/);
    expect(
      Buffer.from(await zip.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });
});

describe('import', () => {
  it('a malformed zip is a clear message on the list page (422), nothing created', async () => {
    await designer.get('/staff/designer');
    const refused = await designer.submitMultipart('/staff/designer/import', {}, [
      {
        field: 'archive',
        name: 'kaputt.zip',
        content: Buffer.from('das ist keine zip-datei'),
        type: 'application/zip',
      },
    ]);
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/id="import-errors"/);
    expect(refused.html).toMatch(/aria-invalid="true"/);
  });

  it('no file chosen is said at the field', async () => {
    await designer.get('/staff/designer');
    const refused = await designer.submitMultipart('/staff/designer/import', {});
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/id="import-errors"/);
  });

  it('an exported version comes back in as a draft of a new service', async () => {
    const exported = await fetch(new URL('/staff/designer/general-inquiry/export', system.url), {
      headers: { cookie: designer.cookieHeader() },
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/application\/zip/);
    const zip = Buffer.from(await exported.arrayBuffer());
    await designer.get('/staff/designer');
    const imported = await designer.submitMultipart('/staff/designer/import', {}, [
      { field: 'archive', name: 'general-inquiry.zip', content: zip, type: 'application/zip' },
    ]);
    expect(imported.status).toBe(303);
    expect(imported.headers.get('location')).toMatch(/^\/staff\/designer\/general-inquiry\?notice=imported$/);
    // The shipped service keeps no draft from this file.
    await designer.get('/staff/designer/general-inquiry');
    expect((await designer.submit('/staff/designer/general-inquiry/discard', {})).status).toBe(303);
  });
});
