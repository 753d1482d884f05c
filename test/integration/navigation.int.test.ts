import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebClient } from '../browserless-client.js';
import { demoCaseworker, demoCompany } from '../journeys.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.stop();
});

/** The links of the page's main navigation. */
const navLinks = (html: string) =>
  [...(/<nav aria-label="[^"]*">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '').matchAll(/href="([^"?]+)/g)].map(
    (match) => match[1],
  );

describe('each area has its own menu', () => {
  it('staff pages show the staff menu, never the company menu', async () => {
    const caseworker = await demoCaseworker(system);
    for (const path of ['/staff/tasks']) {
      const links = navLinks((await caseworker.get(path)).html);
      expect(links, path).toContain('/staff/tasks');
      for (const companyLink of ['/cases', '/drafts', '/account']) expect(links, path).not.toContain(companyLink);
    }
  });

  it('/staff is the staff home: the inbox, or the login that returns there', async () => {
    const anonymous = await new WebClient(system.url).get('/staff');
    expect(anonymous.status).toBe(303);
    // The login lands on the inbox by itself.
    expect(anonymous.headers.get('location')).toBe('/staff/login');
    const home = await (await demoCaseworker(system)).get('/staff');
    expect(home.headers.get('location')).toBe('/staff/tasks');
  });

  it('company pages show the company menu, never the staff menu', async () => {
    const company = await demoCompany(system);
    const links = navLinks((await company.get('/cases')).html);
    expect(links).toEqual(expect.arrayContaining(['/services', '/cases', '/drafts', '/account']));
    expect(links).not.toContain('/staff/tasks');
  });
});
