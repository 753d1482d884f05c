import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseMessages, documents, drafts, outboxMails } from '../../engine/db/schema.js';
import { WebClient } from '../browserless-client.js';
import {
  newApplicant,
  openTaskOf,
  PERMIT_PROJECT,
  PERMIT_SITE,
  SITE_PLAN_PDF,
  submitPermitGuidance,
} from '../journeys.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

/**
 * Every portal route that takes an id, asked by a user of another company: each answers 404 and changes nothing.
 * The table must name every such route in portal/ — a new route with an id fails this file until it is added,
 * so no route reaches production without its cross-company check.
 */

/** Routes whose parameter is no company's property. */
const PUBLIC_PARAMETERS = new Set(['GET /services/:slug/start', 'POST /services/:slug/start']);

/** The portal's routes with a path parameter, read from the route files (`router.get('/cases/:id', …)`). */
function parameterisedPortalRoutes(): string[] {
  const dir = new URL('../../portal/', import.meta.url);
  const routes = new Set<string>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))) {
    const source = readFileSync(new URL(file, dir), 'utf8');
    for (const match of source.matchAll(/router\.(get|post|put|patch|delete)\(\s*'([^']*:[^']*)'/g)) {
      routes.add(`${match[1]!.toUpperCase()} ${match[2]}`);
    }
  }
  return [...routes].filter((route) => !PUBLIC_PARAMETERS.has(route)).sort();
}

interface OwnedIds {
  caseId: string;
  caseDocumentId: string;
  staffTaskId: string;
  draftId: string;
  draftDocumentId: string;
  memberId: string;
  inviteId: string;
}

/** Each route with the owner's ids filled in, and the form fields a stranger would send. */
function requestsFor(ids: OwnedIds): Record<string, { path: string; fields?: Record<string, string> }> {
  return {
    'GET /cases/:id': { path: `/cases/${ids.caseId}` },
    'GET /cases/:id/documents/:documentId': { path: `/cases/${ids.caseId}/documents/${ids.caseDocumentId}` },
    'GET /cases/:id/messages': { path: `/cases/${ids.caseId}/messages` },
    'POST /cases/:id/messages': { path: `/cases/${ids.caseId}/messages`, fields: { text: 'Fremde Nachricht' } },
    'GET /cases/:id/receipt': { path: `/cases/${ids.caseId}/receipt` },
    'GET /cases/:id/withdraw': { path: `/cases/${ids.caseId}/withdraw` },
    'POST /cases/:id/withdraw': {
      path: `/cases/${ids.caseId}/withdraw`,
      fields: { _token: 'fremder-rueckzug-0001', reason: 'Fremder Rückzug' },
    },
    'GET /tasks/:id': { path: `/tasks/${ids.staffTaskId}` },
    'POST /tasks/:id': { path: `/tasks/${ids.staffTaskId}`, fields: { answer: 'Fremde Antwort' } },
    'GET /drafts/:id': { path: `/drafts/${ids.draftId}` },
    'GET /drafts/:id/steps/:n': { path: `/drafts/${ids.draftId}/steps/1` },
    'POST /drafts/:id/steps/:n': { path: `/drafts/${ids.draftId}/steps/1`, fields: { _action: 'next' } },
    'GET /drafts/:id/review': { path: `/drafts/${ids.draftId}/review` },
    'POST /drafts/:id/submit': { path: `/drafts/${ids.draftId}/submit`, fields: {} },
    'GET /drafts/:id/delete': { path: `/drafts/${ids.draftId}/delete` },
    'POST /drafts/:id/delete': { path: `/drafts/${ids.draftId}/delete`, fields: {} },
    'GET /drafts/:id/documents/:documentId': { path: `/drafts/${ids.draftId}/documents/${ids.draftDocumentId}` },
    'POST /account/colleagues/:userId/role': {
      path: `/account/colleagues/${ids.memberId}/role`,
      fields: { role: 'owner' },
    },
    'POST /account/colleagues/:userId/remove': { path: `/account/colleagues/${ids.memberId}/remove`, fields: {} },
    'POST /account/colleagues/invites/:inviteId/withdraw': {
      path: `/account/colleagues/invites/${ids.inviteId}/withdraw`,
      fields: {},
    },
  };
}

let system: System;
let owner: Awaited<ReturnType<typeof newApplicant>>;
let ids: OwnedIds;

/** A permit-guidance draft saved on its upload step with the site plan uploaded, not submitted. */
async function draftWithUpload(client: WebClient, applicant: { email: string; companyName: string }) {
  const started = await client.get('/services/permit-guidance/start');
  const draftId = /^\/drafts\/([0-9a-f-]{36})\/steps\/1/.exec(started.headers.get('location') ?? '')?.[1];
  if (!draftId) throw new Error('no draft');
  await client.get(`/drafts/${draftId}/steps/1`);
  const project = { ...PERMIT_PROJECT, companyName: applicant.companyName, contactEmail: applicant.email };
  await client.submitMultipart(`/drafts/${draftId}/steps/1`, { ...project, _action: 'next' });
  await client.get(`/drafts/${draftId}/steps/2`);
  await client.submit(`/drafts/${draftId}/steps/2`, { ...PERMIT_SITE, _action: 'next' });
  await client.get(`/drafts/${draftId}/steps/3`);
  await client.submitMultipart(`/drafts/${draftId}/steps/3`, { _action: 'save' }, [
    { field: 'sitePlan', name: 'Lageplan.pdf', content: SITE_PLAN_PDF, type: 'application/pdf' },
  ]);
  const [upload] = await system.db.select().from(documents).where(eq(documents.draftId, draftId));
  if (!upload) throw new Error('the draft has no upload');
  return { draftId, draftDocumentId: upload.id };
}

/** The owner invites a colleague, who accepts from the mailed link; answers the owner's colleagues page. */
async function colleagueJoins(client: WebClient): Promise<string> {
  const email = `mitglied-${randomUUID().slice(0, 8)}@firma.example`;
  await client.get('/account/colleagues');
  await client.submit('/account/colleagues/invite', { email, role: 'member' });
  const [mail] = await system.db.select().from(outboxMails).where(eq(outboxMails.recipient, email));
  const token = /\/invite\?token=(\S+)/.exec(mail?.body ?? '')?.[1];
  if (!token) throw new Error('no invitation mailed');
  const invitee = new WebClient(system.url);
  await invitee.get(`/invite?token=${token}`);
  const password = 'Ein-gutes-Passwort-2026';
  await invitee.submit('/invite', { token, name: 'Mia Mitglied', password, repeat: password });
  return (await client.get('/account/colleagues')).html;
}

beforeAll(async () => {
  system = await startTestSystem({ DATA_DIR: `/tmp/lotse-test-idor-${randomUUID()}` });
  owner = await newApplicant(system);
  const caseId = await submitPermitGuidance(owner.client, owner);
  const staffTaskId = (await openTaskOf(system, caseId)).id;
  const [caseDocument] = await system.db.select().from(documents).where(eq(documents.caseId, caseId));
  const draft = await draftWithUpload(owner.client, owner);

  // A colleague who joined, and an invitation still open (ids as the owner's colleagues page links them).
  await colleagueJoins(owner.client);
  await owner.client.submit('/account/colleagues/invite', {
    email: `offen-${randomUUID()}@firma.example`,
    role: 'member',
  });
  const colleagues = (await owner.client.get('/account/colleagues')).html;
  const memberId = /\/account\/colleagues\/([0-9a-f-]{36})\/remove/.exec(colleagues)?.[1];
  const inviteId = /\/account\/colleagues\/invites\/([0-9a-f-]{36})\/withdraw/.exec(colleagues)?.[1];
  if (!caseDocument || !inviteId || !memberId) throw new Error('the owner’s ids are incomplete');
  ids = { caseId, caseDocumentId: caseDocument.id, staffTaskId, ...draft, memberId, inviteId };
});

afterAll(async () => {
  await system?.stop();
});

describe('another company’s ids (IDOR)', () => {
  it('the table names every portal route with an id', () => {
    expect(Object.keys(requestsFor(ids)).sort()).toEqual(parameterisedPortalRoutes());
  });

  it('answer 404 to a user of another company, on every route, and change nothing', async () => {
    const stranger = await newApplicant(system);
    await stranger.client.get('/account');
    const csrf = stranger.client.hidden('_csrf');
    expect(csrf).toBeDefined();
    const answers: Record<string, number> = {};
    for (const [route, request] of Object.entries(requestsFor(ids))) {
      const response = route.startsWith('GET ')
        ? await stranger.client.get(request.path)
        : await stranger.client.post(request.path, { ...request.fields, _csrf: csrf! });
      answers[route] = response.status;
    }
    expect(answers).toEqual(Object.fromEntries(Object.keys(answers).map((route) => [route, 404])));

    // Nothing of the owner's company changed.
    expect((await owner.client.get(`/drafts/${ids.draftId}/review`)).status).not.toBe(404);
    const [draft] = await system.db.select().from(drafts).where(eq(drafts.id, ids.draftId));
    expect(draft?.submittedCaseId ?? null).toBeNull();
    const strangerMessages = await system.db.select().from(caseMessages).where(eq(caseMessages.caseId, ids.caseId));
    expect(strangerMessages).toHaveLength(0);
    const colleagues = await owner.client.get('/account/colleagues');
    expect(colleagues.html).toContain(`/account/colleagues/${ids.memberId}/remove`);
    expect(colleagues.html).toContain(`/account/colleagues/invites/${ids.inviteId}/withdraw`);
    expect((await owner.client.get(`/tasks/${ids.staffTaskId}`)).status).toBe(404);
    // The case was not withdrawn: its owner may still withdraw it.
    expect((await owner.client.get(`/cases/${ids.caseId}/withdraw`)).status).toBe(200);
  });
});
