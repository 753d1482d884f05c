import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { answeredInquiry } from '../journeys.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

// The staff pages no other journey checks with axe: the login, and the administrators' and designers' lists.
// Each in German and in English (issue 9: "axe-core finds no violations on every staff page").

const harness = useBrowserSystem();

describe('the other staff pages in Chromium', () => {
  it('the staff login, incidents, outbox, services and a form preview have no WCAG 2.1 AA violations', async () => {
    // Given a finished case, so the outbox has a mail
    await answeredInquiry(harness.system, 'Seiten für Mitarbeitende');

    const context = await harness.userContext();
    const anonymous = await context.newPage();
    await anonymous.goto('/staff/login');
    await expectAccessible(anonymous, 'the staff login (de)');
    await anonymous.goto('/staff/login?lang=en');
    await expectAccessible(anonymous, 'the staff login (en)');
    await anonymous.goto('/staff/login?lang=de');
    await anonymous.close();

    // When the administrator (also service designer) opens each page from the menu, in both languages
    const admin = await logIn(context, DEMO_ACCOUNTS.administrator, DEMO_PASSWORD, true);
    for (const [path, heading] of [
      ['/staff/incidents', 'Störungen'],
      ['/staff/outbox', 'Postausgang'],
      ['/staff/services', 'Leistungen'],
    ] as const) {
      await admin.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: heading }).click();
      await admin.waitForURL(`**${path}`);
      await expectAccessible(admin, `${path} (de)`);
      await admin.goto(`${path}?lang=en`);
      await expectAccessible(admin, `${path} (en)`);
      await admin.goto(`${path}?lang=de`);
    }
    expect(await admin.locator('main').textContent()).toContain('Allgemeine Anfrage');

    // And a form preview of a published service, empty and after a check with sample data
    await admin.goto('/staff/services/general-inquiry/forms/general-inquiry-start/preview');
    await expectAccessible(admin, 'the form preview (de)');
    await admin.goto('/staff/services/general-inquiry/forms/general-inquiry-start/preview?lang=en');
    await expectAccessible(admin, 'the form preview (en)');
  });
});
