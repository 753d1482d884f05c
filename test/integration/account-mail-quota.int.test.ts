import { randomInt, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxMails, users } from '../../engine/db/schema.js';
import { createMailQuotaRepository } from '../../engine/repositories/mail-quota.repository.js';
import { MAIL_QUOTA_WINDOW_MS } from '../../engine/services/mail-quota.js';
import { createCompanyWithUser } from '../../engine/services/seed.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;
const PASSWORD = 'Ein-sicheres-Passwort-2026';

beforeAll(async () => {
  // The production limits (test/system.ts raises the network's for every other file).
  system = await startTestSystem({ ACCOUNT_MAILS_PER_ADDRESS: '3', ACCOUNT_MAILS_PER_NETWORK: '20' });
});

afterAll(async () => {
  await system?.stop();
});

const fresh = () => randomUUID().slice(0, 8);
/** A client network of its own (documentation range), as the proxy in front of Lotse reports it. */
const freshClient = () => `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** Posts a form as a browser at `client` would: its CSRF cookie and token first, from the form's page. */
async function postForm(path: string, fields: Record<string, string>, client: string) {
  const headers = { 'x-forwarded-for': client };
  const page = await fetch(new URL(path, system.url), { headers });
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const answer = await fetch(new URL(path, system.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: csrf }).toString(),
  });
  return { status: answer.status, html: await answer.text() };
}

const mailsTo = async (email: string) =>
  (await system.db.select().from(outboxMails).where(eq(outboxMails.recipient, email))).length;

/** The page without what differs per request anyway (CSRF token). */
const pageText = (html: string) => html.replace(/value="[A-Za-z0-9_-]{32}"/g, '');

describe('account mails are limited per address and per client network', () => {
  it('mails a reset link three times an hour per address, then answers the same page and mails nothing', async () => {
    const email = `anna.${fresh()}@firma.example`;
    await createCompanyWithUser(system.db, { company: 'Quote GmbH', email, name: 'Anna', password: PASSWORD });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await postForm('/password/forgot', { email }, freshClient()));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(await mailsTo(email)).toBe(3);
    // The refused request looks like any other: nobody learns of the quota, nor whether the address has an account.
    const unknown = await postForm('/password/forgot', { email: `niemand.${fresh()}@firma.example` }, freshClient());
    expect(pageText(answers[3]?.html ?? '')).toBe(pageText(answers[0]?.html ?? ''));
    expect(pageText(unknown.html)).toBe(pageText(answers[0]?.html ?? ''));
  });

  it('counts registration, the verification sent again and reset against the same address', async () => {
    const email = `jonas.${fresh()}@firma.example`;
    const form = { companyName: 'Neu GmbH', name: 'Jonas', email, password: PASSWORD, repeat: PASSWORD };
    expect((await postForm('/register', form, freshClient())).status).toBe(200);
    // Registered, never verified: a second registration sends the verification link again.
    expect((await postForm('/register', form, freshClient())).status).toBe(200);
    expect((await postForm('/password/forgot', { email }, freshClient())).status).toBe(200);
    expect(await mailsTo(email)).toBe(3);
    expect((await postForm('/register', form, freshClient())).status).toBe(200);
    expect((await postForm('/password/forgot', { email }, freshClient())).status).toBe(200);
    expect(await mailsTo(email)).toBe(3);
  });

  it('starts a count afresh once its hour is over, and the clean-up removes counts of windows long over', async () => {
    const quotas = createMailQuotaRepository(system.db);
    const key = `mail:address:window.${fresh()}@firma.example`;
    const start = new Date(Date.UTC(2026, 0, 5, 9, 0));
    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
    const count = async (minutes: number) =>
      (await quotas.count([key], at(minutes), new Date(at(minutes).getTime() - MAIL_QUOTA_WINDOW_MS))).get(key);
    expect([await count(0), await count(30), await count(59)]).toEqual([1, 2, 3]);
    expect(await count(61)).toBe(1);
    expect(await count(62)).toBe(2);
    expect(await quotas.deleteOlderThan(at(61))).toBe(0);
    expect(await quotas.deleteOlderThan(at(62))).toBeGreaterThanOrEqual(1);
    expect(await count(63)).toBe(1);
  });

  it('lets one client network cause twenty mails an hour, whichever addresses it names', async () => {
    const client = freshClient();
    const emails = Array.from({ length: 21 }, (_, i) => `spray${i}.${fresh()}@firma.example`);
    for (const email of emails) {
      const answer = await postForm(
        '/register',
        { companyName: 'Spray GmbH', name: 'Spray', email, password: PASSWORD, repeat: PASSWORD },
        client,
      );
      expect(answer.status).toBe(200);
    }
    const mailed = await Promise.all(emails.map(mailsTo));
    expect(mailed.slice(0, 20)).toEqual(Array(20).fill(1));
    // Over the quota the registration makes nothing either: no account waiting for a link that never came.
    expect(mailed[20]).toBe(0);
    expect(
      await system.db
        .select()
        .from(users)
        .where(eq(users.email, emails[20] ?? '')),
    ).toHaveLength(0);
    // Another network is not held up by it.
    const other = `other.${fresh()}@firma.example`;
    await postForm(
      '/register',
      { companyName: 'Andere GmbH', name: 'Andere', email: other, password: PASSWORD, repeat: PASSWORD },
      freshClient(),
    );
    expect(await mailsTo(other)).toBe(1);
  });
});
