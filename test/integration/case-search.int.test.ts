import { randomBytes } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../engine/db/schema.js';
import { createCaseNoteRepository } from '../../engine/repositories/case-note.repository.js';
import { createCaseRepository } from '../../engine/repositories/case.repository.js';
import { createCaseSearchRepository, matchesText } from '../../engine/repositories/case-search.repository.js';
import { createDocumentRepository } from '../../engine/repositories/document.repository.js';
import { createOutboxRepository } from '../../engine/repositories/outbox.repository.js';
import type { StaffSession } from '../../engine/services/auth.service.js';
import { createCaseViewService } from '../../engine/services/case-view.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { clearOfAgencyMidnight } from '../agency-day.js';
import { WebClient } from '../browserless-client.js';
import { demoCaseworker, demoCompany, openTaskOf, staffSessionOf, submitGeneralInquiry } from '../journeys.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;
/** A word no other test file writes: every search here is narrowed by it (the test database is shared). */
const TAG = `fallmarke${randomBytes(4).toString('hex').replace(/\d/g, 'x')}`;
const ids: { warehouse: string; solar: string; formula: string } = { warehouse: '', solar: '', formula: '' };
let numbers: Record<keyof typeof ids, string>;

function caseViews() {
  return createCaseViewService({
    search: createCaseSearchRepository(system.db),
    cases: createCaseRepository(system.db),
    notes: createCaseNoteRepository(system.db),
    documents: createDocumentRepository(system.db),
    outbox: createOutboxRepository(system.db),
    catalog: system.services.catalog,
  });
}

/** The case numbers a search page lists, in order. */
function numbersIn(html: string): string[] {
  return [...html.matchAll(/<th scope="row"><a href="\/staff\/cases\/[0-9a-f-]{36}">(WF-\d{4}-\d{6})<\/a><\/th>/g)].map(
    (match) => match[1] ?? '',
  );
}

beforeAll(async () => {
  await clearOfAgencyMidnight();
  system = await startTestSystem();
  const company = await demoCompany(system);
  // Given three general inquiries of the demo company, their tasks for the Wirtschaftsförderung
  ids.warehouse = await submitGeneralInquiry(company, `Erweiterung unserer Lagerhallen ${TAG}`);
  ids.solar = await submitGeneralInquiry(company, `Energie ${TAG}`);
  ids.formula = await submitGeneralInquiry(company, `=SUMME(1;2) "Formel" ${TAG}`);
  await Promise.all(Object.values(ids).map((id) => openTaskOf(system, id)));
  const rows = await system.db
    .select({ id: cases.id, number: cases.number })
    .from(cases)
    .where(inArray(cases.id, Object.values(ids)));
  const numberOf = (id: string) => rows.find((row) => row.id === id)?.number ?? '';
  numbers = { warehouse: numberOf(ids.warehouse), solar: numberOf(ids.solar), formula: numberOf(ids.formula) };
}, 8 * 60_000);

afterAll(async () => {
  await system?.stop();
});

describe('case search (/staff/cases)', () => {
  it('finds German word forms in the subject: "Lagerhalle" finds "Lagerhallen"', async () => {
    const caseworker = await demoCaseworker(system);
    const page = await caseworker.get(`/staff/cases?q=${encodeURIComponent(`Lagerhalle ${TAG}`)}`);
    expect(page.status).toBe(200);
    expect(numbersIn(page.html)).toEqual([numbers.warehouse]);
  });

  it('searches the submitted data too, with web search syntax (-word excludes)', async () => {
    const caseworker = await demoCaseworker(system);
    // The message of every journey inquiry says "Bitte um eine kurze Antwort per E-Mail."
    const all = await caseworker.get(`/staff/cases?q=${encodeURIComponent(`${TAG} Antworten`)}`);
    expect(numbersIn(all.html).sort()).toEqual(Object.values(numbers).sort());
    const without = await caseworker.get(`/staff/cases?q=${encodeURIComponent(`${TAG} -Lagerhalle`)}`);
    expect(numbersIn(without.html).sort()).toEqual([numbers.solar, numbers.formula].sort());
  });

  it('lists newest first and filters by number, company, service, status and date', async () => {
    const caseworker = await demoCaseworker(system);
    const search = async (query: Record<string, string>) =>
      numbersIn((await caseworker.get(`/staff/cases?${new URLSearchParams({ q: TAG, ...query })}`)).html);
    expect(await search({})).toEqual([numbers.formula, numbers.solar, numbers.warehouse]);
    expect(await search({ number: numbers.solar })).toEqual([numbers.solar]);
    expect(await search({ number: numbers.solar.slice(-6).toLowerCase() })).toEqual([numbers.solar]);
    expect(await search({ company: 'schmidt metall' })).toHaveLength(3);
    expect(await search({ company: 'Keine Firma dieses Namens' })).toEqual([]);
    expect(await search({ service: 'general-inquiry' })).toHaveLength(3);
    expect(await search({ service: 'permit-guidance' })).toEqual([]);
    expect(await search({ status: 'active' })).toHaveLength(3);
    expect(await search({ status: 'completed' })).toEqual([]);
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(new Date());
    expect(await search({ from: today, to: today })).toHaveLength(3);
    expect(await search({ from: '2000-01-01', to: '2000-12-31' })).toEqual([]);
  });

  it('an impossible date is an error next to its field (422), not a search', async () => {
    const caseworker = await demoCaseworker(system);
    const page = await caseworker.get(`/staff/cases?q=${TAG}&from=2026-02-30`);
    expect(page.status).toBe(422);
    expect(page.html).toContain('id="search-from-error"');
    expect(page.html).toContain('aria-invalid="true" aria-describedby="search-from-error"');
    expect(numbersIn(page.html)).toEqual([]);
  });

  it('shows only cases with a task for the member; administrators every case, team leads only their groups’', async () => {
    const views = caseViews();
    const jonas = await staffSessionOf(system, DEMO_ACCOUNTS.caseworker.email);
    const lena = await staffSessionOf(system, DEMO_ACCOUNTS.buildingAuthority.email);
    const found = async (member: StaffSession) => (await views.search(member, { text: TAG })).rows.length;
    expect(await found(jonas)).toBe(3);
    expect(await found(lena)).toBe(0);
    expect(await found({ ...lena, roles: ['caseworker', 'team_lead'] })).toBe(0);
    expect(await found({ ...lena, roles: ['administrator'] })).toBe(3);
    // The case page answers the same way: the one rule, in SQL for the list and in code for the page.
    expect(await views.mayView(lena, ids.warehouse)).toBe(false);
    expect(await views.mayView(jonas, ids.warehouse)).toBe(true);
    const building = new WebClient(system.url);
    await building.login(DEMO_ACCOUNTS.buildingAuthority.email, DEMO_PASSWORD, true);
    expect(numbersIn((await building.get(`/staff/cases?q=${TAG}`)).html)).toEqual([]);
    expect((await building.get(`/staff/cases/${ids.warehouse}`)).status).toBe(404);
  });

  it('pages with a keyset, newest first: no case twice, none skipped, even at the same moment', async () => {
    // Two cases created in the same microsecond: the id decides their order.
    const same = new Date();
    await system.db
      .update(cases)
      .set({ createdAt: same })
      .where(inArray(cases.id, [ids.solar, ids.formula]));
    const jonas = await staffSessionOf(system, DEMO_ACCOUNTS.caseworker.email);
    const repository = createCaseSearchRepository(system.db);
    const scope = {
      all: false as const,
      audience: { kind: 'staff' as const, groups: jonas.groups, names: [jonas.staffId] },
    };
    const seen: string[] = [];
    let after: { createdAt: string; id: string } | undefined;
    for (let round = 0; round < 5; round++) {
      const page = await repository.search({ text: TAG }, scope, { after, limit: 1 });
      const [row] = page;
      if (!row) break;
      seen.push(row.number);
      after = { createdAt: row.cursorAt, id: row.id };
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
    expect(seen.at(-1)).toBe(numbers.warehouse);
  });

  it('the page links on to the next page and back to the first (keyset through the address)', async () => {
    const views = caseViews();
    const jonas = await staffSessionOf(system, DEMO_ACCOUNTS.caseworker.email);
    const first = await views.search(jonas, { text: TAG });
    expect(first.next).toBeUndefined();
    const caseworker = await demoCaseworker(system);
    const [newest] = first.rows;
    if (!newest) throw new Error('no result');
    const page = await caseworker.get(
      `/staff/cases?q=${TAG}&after=${encodeURIComponent(`${newest.cursorAt}~${newest.id}`)}`,
    );
    expect(numbersIn(page.html)).toEqual(first.rows.slice(1).map((row) => row.number));
    // Handlebars escapes `=` in attributes; the browser reads it back as `=`.
    expect(page.html).toContain(`href="/staff/cases?q&#x3D;${TAG}"`);
  });

  it('the full-text search uses the GIN index cases_search', async () => {
    const plan = await system.db.transaction(async (tx) => {
      // On a small table the planner rightly prefers a scan; forbid it to see whether the index applies at all.
      await tx.execute(sql`set local enable_seqscan = off`);
      const result = await tx.execute(sql`explain select id from cases where ${matchesText('Lagerhalle')}`);
      return result.rows.map((row) => String(Object.values(row)[0])).join('\n');
    });
    expect(plan).toContain('cases_search');
  });
});

describe('CSV export (/staff/cases.csv)', () => {
  it('is UTF-8 with a byte order mark, ";"-separated, the same result, formulas defused', async () => {
    const caseworker = await demoCaseworker(system);
    const response = await fetch(new URL(`/staff/cases.csv?q=${TAG}`, system.url), {
      headers: { cookie: caseworker.cookieHeader() },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?Vorgaenge-\d{4}-\d{2}-\d{2}\.csv"?$/,
    );
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe(
      'Vorgangsnummer;Betreff;Unternehmen;Leistung;Version;Status;Status für das Unternehmen;Eingegangen am;Abgeschlossen am',
    );
    expect(lines.filter((line) => line.startsWith('WF-'))).toHaveLength(3);
    const formulaLine = lines.find((line) => line.startsWith(numbers.formula));
    expect(formulaLine).toContain(`;"'=SUMME(1;2) ""Formel"" ${TAG}";Schmidt Metallbau GmbH;Allgemeine Anfrage;`);
  });

  it('exports only what the member may see, and needs a staff login', async () => {
    const building = new WebClient(system.url);
    await building.login(DEMO_ACCOUNTS.buildingAuthority.email, DEMO_PASSWORD, true);
    const csv = await building.get(`/staff/cases.csv?q=${TAG}`);
    expect(csv.html.split('\r\n').filter((line) => line.startsWith('WF-'))).toEqual([]);
    const anonymous = await new WebClient(system.url).get(`/staff/cases.csv?q=${TAG}`);
    expect(anonymous.status).toBe(303);
  });
});
