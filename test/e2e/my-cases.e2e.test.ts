import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { memberships, tasks, users } from '../../engine/db/schema.js';
import type { CompanyUserSession } from '../../engine/services/auth.service.js';
import { demoCaseworker } from '../journeys.js';
import { eventually } from '../system.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem({ DATA_DIR: `/tmp/lotse-test-data-${randomUUID()}` });

describe('Meine Vorgänge in Chromium', () => {
  it('lists the company’s cases with the badge, filters, pages; German, English and 320 px', async () => {
    const system = harness.system;
    const companyName = `Liste ${randomUUID().slice(0, 8)} GmbH`;
    const account = await harness.newApplicant(companyName, 'Lena Liste');
    const [user] = await system.db
      .select({ id: users.id, companyId: memberships.companyId })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .where(eq(users.email, account.email));
    if (!user) throw new Error('no user');
    const session: CompanyUserSession = {
      kind: 'applicant',
      userId: user.id,
      name: 'Lena Liste',
      email: account.email,
      companyId: user.companyId,
      companyName,
    };
    // 22 cases through the case-start service: more than one page of 20.
    const ids: string[] = [];
    for (let i = 1; i <= 22; i += 1) {
      const result = await system.services.caseStarts.submit(
        session,
        'general-inquiry',
        randomUUID(),
        { subject: `Hallenfläche ${i}`, message: 'Wir suchen 2.000 m² Hallenfläche.', contactChannel: 'email' },
        { locale: 'de' },
      );
      if (!result?.ok) throw new Error('no case');
      ids.push(result.caseId);
    }
    await eventually(
      async () => {
        const open = await system.db
          .select({ caseId: tasks.caseId })
          .from(tasks)
          .where(and(inArray(tasks.caseId, ids), eq(tasks.status, 'open')));
        return new Set(open.map((row) => row.caseId)).size === ids.length ? true : undefined;
      },
      60_000,
      'every case at its first task',
    );
    // The agency writes on the first case: the company has an unread message there.
    const caseworker = await demoCaseworker(system);
    await caseworker.get(`/staff/cases/${ids[0]}`);
    const sent = await caseworker.submitMultipart(`/staff/cases/${ids[0]}/messages`, {
      _token: caseworker.hidden('_token') ?? '',
      body: 'Wir haben passende Flächen gefunden.',
    });
    expect(sent.status).toBe(303);

    const page = await logIn(await harness.userContext(), account, account.password);
    await page.goto('/cases');
    await page.getByRole('heading', { name: 'Meine Vorgänge', level: 1 }).waitFor();
    const badge = page.getByRole('link', { name: 'Aktion erforderlich: 1 neue Nachricht' });
    await badge.waitFor();
    expect(await page.locator('table.my-cases tbody tr').count()).toBe(20);
    await expectAccessible(page, 'Meine Vorgänge (German)');
    await page.screenshot({ path: '/tmp/h5-my-cases-de.png', fullPage: true });

    // Filter without script: a GET form.
    await page.getByLabel('Status').selectOption('action');
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await page.waitForURL(/\/cases\?status=action&/);
    expect(await page.locator('table.my-cases tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: 'Filter zurücksetzen' }).click();
    await page.waitForURL(/\/cases$/);

    // The next page: the two oldest cases, and a way back.
    await page.getByRole('link', { name: 'Ältere' }).click();
    await page.waitForURL(/\/cases\?after=/);
    expect(await page.locator('table.my-cases tbody tr').count()).toBe(2);
    await page.getByRole('link', { name: 'Neuere' }).waitFor();
    await expectAccessible(page, 'Meine Vorgänge, second page (German)');

    // A wrong date: 422, the error at the field, the value kept.
    await page.goto('/cases?from=2026-13-01');
    await page.getByText('Bitte geben Sie ein gültiges Datum ein').first().waitFor();
    await expectAccessible(page, 'Meine Vorgänge with a filter error (German)');

    await page.goto('/cases?lang=en');
    await page.getByRole('link', { name: 'Action required: 1 new message' }).waitFor();
    await expectAccessible(page, 'My cases (English)');
    await page.screenshot({ path: '/tmp/h5-my-cases-en.png', fullPage: true });

    // The badge leads to the case; its timeline names the agency, not the caseworker.
    await page.getByRole('link', { name: 'Action required: 1 new message' }).click();
    await page.waitForURL(`**/cases/${ids[0]}#messages`);
    await page.getByText('Message from the economic development agency').waitFor();
    await page.getByText('Submitted by Lena Liste').waitFor();
    await expectAccessible(page, 'the case page with the company timeline (English)');
    await page.locator('ol.timeline').screenshot({ path: '/tmp/h5-case-timeline-en.png' });
    await page.goto(`/cases/${ids[0]}?lang=de`);
    await page.getByText('Eingereicht von Lena Liste').waitFor();
    await page.getByText('Nachricht der Wirtschaftsförderung').waitFor();
    await expectAccessible(page, 'the case page with the company timeline (German)');
    await page.locator('ol.timeline').screenshot({ path: '/tmp/h5-case-timeline-de.png' });

    // 320 px wide: the list has no sideways scrolling.
    const narrow = await logIn(
      await harness.userContext({ viewport: { width: 320, height: 800 } }),
      account,
      account.password,
    );
    await narrow.goto('/cases?lang=de');
    await narrow.getByRole('heading', { name: 'Meine Vorgänge', level: 1 }).waitFor();
    const widths = await narrow.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    await expectAccessible(narrow, 'Meine Vorgänge at 320 px (German)');
    await narrow.screenshot({ path: '/tmp/h5-my-cases-320.png', fullPage: true });
  });
});
