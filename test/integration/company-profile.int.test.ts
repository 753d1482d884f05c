import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companies, memberships, users } from '../../engine/db/schema.js';
import { hashPassword } from '../../engine/services/auth.service.js';
import { WebClient } from '../browserless-client.js';
import { newApplicant } from '../journeys.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;

beforeAll(async () => {
  system = await startTestSystem({ DATA_DIR: `/tmp/lotse-test-company-profile-${randomUUID()}` });
});

afterAll(async () => {
  await system?.stop();
});

const PROFILE = {
  name: 'Nordlicht Maschinenbau GmbH',
  legalForm: 'GmbH',
  registerCourt: 'Amtsgericht Köln',
  registerNumber: 'HRB 12345',
  street: 'Hafenstraße 12',
  postalCode: '50667',
  city: 'Köln',
  sector: 'C',
  employees: '42',
  phone: '0221 123456',
  contactEmail: 'info@nordlicht.example',
  website: 'https://www.nordlicht.example',
};

/** A second user of the company, as a member (not an owner), logged in. */
async function memberOf(companyId: string): Promise<WebClient> {
  const email = `member-${randomUUID()}@example.com`;
  const [user] = await system.db
    .insert(users)
    .values({ email, name: 'Mia Mitglied', passwordHash: await hashPassword('Test-Password-1') })
    .returning();
  await system.db.insert(memberships).values({ userId: user!.id, companyId, role: 'member' });
  const client = new WebClient(system.url);
  await client.login(email, 'Test-Password-1');
  return client;
}

describe('the company profile', () => {
  it('an owner edits it; bad input answers 422 with the error at the field and every value kept', async () => {
    const owner = await newApplicant(system);
    const page = await owner.client.get('/account/company');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`value="${owner.companyName}"`);

    const bad = await owner.client.submit('/account/company', {
      ...PROFILE,
      name: '',
      postalCode: '5066',
      sector: 'Z',
      employees: 'viele',
      website: 'javascript:alert(1)',
      contactEmail: 'kein-at',
      registerCourt: '',
    });
    expect(bad.status).toBe(422);
    for (const field of ['name', 'postalCode', 'sector', 'employees', 'website', 'contactEmail', 'registerCourt'])
      expect(bad.html).toContain(`id="${field}-error"`);
    expect(bad.html).toContain('value="5066"');
    expect(bad.html).toContain('value="viele"');
    expect(bad.html).toContain('value="Hafenstraße 12"');
    expect(bad.html).toContain('href="#postalCode"');
    const [unchanged] = await system.db.select().from(companies).where(eq(companies.id, owner.companyId));
    expect(unchanged?.name).toBe(owner.companyName);

    const saved = await owner.client.submit('/account/company', PROFILE);
    expect(saved.status).toBe(303);
    const [row] = await system.db.select().from(companies).where(eq(companies.id, owner.companyId));
    expect(row).toMatchObject({ ...PROFILE, employees: 42 });
    const after = await owner.client.get('/account/company?saved=1');
    expect(after.html).toContain('Das Unternehmensprofil wurde gespeichert.');
    expect(after.html).toMatch(/<option value="C" selected>C – Verarbeitendes Gewerbe<\/option>/);
    // The account page names the company by its new name.
    expect((await owner.client.get('/account')).html).toContain(PROFILE.name);
    // English: sector names too.
    expect((await owner.client.get('/account/company?lang=en')).html).toContain('C – Manufacturing');

    // Emptying optional fields stores nothing rather than empty strings.
    await owner.client.get('/account/company');
    await owner.client.submit('/account/company', { name: PROFILE.name });
    const [emptied] = await system.db.select().from(companies).where(eq(companies.id, owner.companyId));
    expect(emptied).toMatchObject({ website: null, employees: null, sector: null });
  });

  it('members read it and cannot change it', async () => {
    const owner = await newApplicant(system);
    const member = await memberOf(owner.companyId);
    const page = await member.get('/account/company');
    expect(page.status).toBe(200);
    expect(page.html).toContain(owner.companyName);
    expect(page.html).not.toContain('action="/account/company"');
    const refused = await member.submit('/account/company', { ...PROFILE, name: 'Übernommen GmbH' });
    expect(refused.status).toBe(403);
    const [row] = await system.db.select().from(companies).where(eq(companies.id, owner.companyId));
    expect(row?.name).toBe(owner.companyName);
  });

  it('refuses a change without the CSRF token', async () => {
    const owner = await newApplicant(system);
    expect((await owner.client.post('/account/company', PROFILE)).status).toBe(403);
    const [row] = await system.db.select().from(companies).where(eq(companies.id, owner.companyId));
    expect(row?.name).toBe(owner.companyName);
  });

  it('feeds the prefill: the permit guidance starts with the profile’s name', async () => {
    const owner = await newApplicant(system);
    await owner.client.get('/account/company');
    expect((await owner.client.submit('/account/company', { ...PROFILE, name: 'Vorausgefüllt Bau KG' })).status).toBe(
      303,
    );
    const started = await owner.client.get('/services/permit-guidance/start');
    const step = await owner.client.get(started.headers.get('location') ?? '');
    expect(step.html).toContain('value="Vorausgefüllt Bau KG"');
    expect(step.html).toContain(`value="${owner.email}"`);
  });
});
