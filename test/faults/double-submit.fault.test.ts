import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../engine/db/schema.js';
import { createCompanyWithUser } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

const START = '/services/general-inquiry/start';
const inquiry = {
  subject: 'Erweiterung der Produktionshalle',
  message: 'Wir planen eine Erweiterung und bitten um ein Gespräch.',
  contactChannel: 'email',
};
/** Parallel sends of one form in the concurrency case: a burst of clicks, bounded. */
const BURST = 8;

let system: System;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.stop();
});

/** A logged-in user of a company of their own, so the company's cases are exactly this test's. */
async function newCompany() {
  const email = `double-${randomUUID()}@example.com`;
  const { companyId } = await createCompanyWithUser(system.db, {
    company: `Doppelt ${randomUUID().slice(0, 8)} GmbH`,
    email,
    name: 'Dora Doppel',
    password: 'Test-Password-1',
  });
  const client = new WebClient(system.url);
  await client.login(email, 'Test-Password-1');
  return { client, companyId };
}

const casesOf = (companyId: string) => system.db.select().from(cases).where(eq(cases.companyId, companyId));
const caseIdIn = (location: string | null) => /^\/cases\/([0-9a-f-]{36})\?submitted=1$/.exec(location ?? '')?.[1];

/** Opens the start form and sends it: the case id and the token the form carried. */
async function send(client: WebClient, fields: Record<string, string> = inquiry) {
  const form = await client.get(START);
  expect(form.status).toBe(200);
  const token = client.hidden('_token');
  const response = await client.submit(START, fields);
  expect(response.status).toBe(303);
  const caseId = caseIdIn(response.headers.get('location'));
  if (!caseId || !token) throw new Error(`no case or token (${response.status})`);
  return { caseId, token, csrf: client.hidden('_csrf') };
}

describe('one case per filled-in form (one-page start form)', () => {
  it('Back without the page cache: the start address says "already sent" with the case, and offers no form', async () => {
    const { client, companyId } = await newCompany();
    const first = await send(client);
    const [row] = await casesOf(companyId);

    // Back loads the form's address again (pages are no-store)
    const back = await client.get(START);
    expect(back.status).toBe(200);
    expect(back.html).toContain('Bereits gesendet');
    expect(back.html).toContain(`Vorgang ${row?.number}`);
    expect(back.html).toContain(`href="/cases/${first.caseId}"`);
    expect(back.html).toContain(`href="${START}?new=1"`);
    expect(back.html).not.toContain('name="_token"');
    expect(await casesOf(companyId)).toHaveLength(1);
  });

  it('Back from the page cache, then Send again with the same answers: the same case, still one', async () => {
    const { client, companyId } = await newCompany();
    const first = await send(client);
    const again = await client.submit(START, inquiry, { csrf: first.csrf, token: first.token });
    expect(again.status).toBe(303);
    expect(caseIdIn(again.headers.get('location'))).toBe(first.caseId);
    expect(await casesOf(companyId)).toHaveLength(1);
  });

  it('Back from the page cache, changed answers, Send: no case unasked, the changes kept, a new token to send them', async () => {
    const { client, companyId } = await newCompany();
    const first = await send(client);
    const changed = { ...inquiry, subject: 'Eine ganz andere Frage zur Förderung' };
    const conflict = await client.submit(START, changed, { csrf: first.csrf, token: first.token });
    expect(conflict.status).toBe(409);
    expect(conflict.html).toContain('Dieses Formular haben Sie bereits gesendet');
    expect(conflict.html).toContain(`href="/cases/${first.caseId}"`);
    expect(conflict.html).toContain(changed.subject);
    const newToken = client.hidden('_token');
    expect(newToken).toBeDefined();
    expect(newToken).not.toBe(first.token);
    expect(await casesOf(companyId)).toHaveLength(1);

    // Sending that form is a deliberate second inquiry: a second case, with the changed answers
    const second = await client.submit(START, changed);
    expect(second.status).toBe(303);
    const secondId = caseIdIn(second.headers.get('location'));
    expect(secondId).toBeDefined();
    expect(secondId).not.toBe(first.caseId);
    const rows = await casesOf(companyId);
    expect(rows.map((row) => row.subject).sort()).toEqual([changed.subject, inquiry.subject].sort());
  });

  it('two different filled-in forms ("Neue Anfrage starten" in between) make two cases', async () => {
    const { client, companyId } = await newCompany();
    const first = await send(client);
    const fresh = await client.get(`${START}?new=1`);
    expect(fresh.status).toBe(303);
    expect(fresh.headers.get('location')).toBe(START);
    const second = await send(client, { ...inquiry, subject: 'Zweite Anfrage' });
    expect(second.token).not.toBe(first.token);
    expect(second.caseId).not.toBe(first.caseId);
    expect(await casesOf(companyId)).toHaveLength(2);
  });

  it('reloading the open form keeps its token: sending from either copy makes one case', async () => {
    const { client, companyId } = await newCompany();
    await client.get(START);
    const firstCopy = client.hidden('_token');
    await client.get(START);
    expect(client.hidden('_token')).toBe(firstCopy);
    const response = await client.submit(START, inquiry);
    expect(response.status).toBe(303);
    expect(await casesOf(companyId)).toHaveLength(1);
  });

  it(`a burst of ${BURST} sends of one form, at once, makes one case and every answer names it`, async () => {
    const { client, companyId } = await newCompany();
    await client.get(START);
    const tokens = { csrf: client.hidden('_csrf'), token: client.hidden('_token') };
    const responses = await Promise.all(Array.from({ length: BURST }, () => client.submit(START, inquiry, tokens)));
    const locations = new Set(responses.map((response) => response.headers.get('location')));
    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: BURST }, () => 303));
    expect(locations.size).toBe(1);
    expect(await casesOf(companyId)).toHaveLength(1);
  });

  it("another company's token cannot be used to see or reach its case", async () => {
    const owner = await newCompany();
    const first = await send(owner.client);
    const other = await newCompany();
    await other.client.get(START);
    const response = await other.client.submit(START, { ...inquiry, subject: 'Fremd' }, { token: first.token });
    expect(response.headers.get('location') ?? '').not.toContain(first.caseId);
    expect(response.html).not.toContain(first.caseId);
    expect(await casesOf(other.companyId)).toHaveLength(0);
  });
});
