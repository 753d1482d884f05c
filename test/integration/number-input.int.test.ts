import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../engine/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

const START = '/services/funding-inquiry/start';
const funding = {
  subject: 'Neue Fertigungslinie',
  companySize: 'klein',
  sector: 'industrie',
  projectType: 'investition',
  plannedStart: '2027-03-01',
  projectDescription: 'Wir planen eine neue Fertigungslinie für Bauteile aus recyceltem Aluminium.',
};

let system: System;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.stop();
});

/** Sends the funding inquiry with the given investment volume, in a session of the given language. */
async function sendVolume(volume: string, lang: 'de' | 'en') {
  const client = new WebClient(system.url);
  await client.login(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
  await client.get(`${START}?lang=${lang}`);
  return client.submit(START, { ...funding, investmentVolume: volume });
}

const fieldError = (html: string) =>
  /<p class="field__error" id="field-Field_InvestmentVolume-error">(.*?)<\/p>/s.exec(html)?.[1];

async function investmentOf(location: string | null) {
  const caseId = /\/cases\/([0-9a-f-]{36})/.exec(location ?? '')?.[1] ?? '';
  const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
  return row?.variables.investmentVolume;
}

describe('number fields read in the language of the page (a start form over HTTP)', () => {
  // Invariant: the case gets the number the user wrote, in their language's notation.
  it.each([
    ['de', '50.000', 50000],
    ['de', '1.000.000', 1000000],
    ['en', '50,000', 50000],
    ['de', '60000', 60000],
  ] as const)('%s: "%s" makes a case with %d', async (lang, volume, expected) => {
    const response = await sendVolume(volume, lang);
    expect(response.status).toBe(303);
    expect(await investmentOf(response.headers.get('location'))).toBe(expected);
  });

  // Invariant: a shape the language does not read one way is refused next to the field, the text kept, no case.
  it.each([
    ['de', '1.00.000', 'im Format 1.234.567,89'],
    ['de', '50000.5', 'im Format 1.234.567,89'],
    ['en', '1.000.000', 'like 1,234,567.89'],
  ] as const)('%s: "%s" is refused with the expected format', async (lang, volume, message) => {
    const response = await sendVolume(volume, lang);
    expect(response.status).toBe(422);
    expect(fieldError(response.html)).toContain(message);
    expect(response.html).toContain(`value="${volume}"`);
  });
});
