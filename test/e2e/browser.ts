import { randomUUID } from 'node:crypto';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { createCompanyWithUser } from '../../engine/services/seed.js';
import { startTestSystem } from '../system.js';

const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Debian's Chromium as the lane's global setup found or installed it (engine/infra/chromium.ts). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: inject('chromiumPath'),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh user: own cookies, German like the portal's default, every wait bounded. */
export async function newUserContext(browser: Browser, baseURL: string, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ baseURL, locale: 'de-DE', ...options });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

export async function logIn(context: BrowserContext, account: { email: string }, password: string, staff = false) {
  const page = await context.newPage();
  await page.goto(staff ? '/staff/login' : '/login');
  await page.locator('#email').fill(account.email);
  await page.locator('#password').fill(password);
  await Promise.all([
    page.waitForURL(staff ? '**/staff/tasks' : '**/cases'),
    page.getByRole('button', { name: 'Anmelden' }).click(),
  ]);
  return page;
}

/**
 * Reloads `page` until `probe` returns true, for state that the workflow worker changes in the
 * background (a new task, a new status). Fails after `timeoutMs`.
 */
export async function reloadUntil(page: Page, probe: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} on ${page.url()}`);
    await page.waitForTimeout(250);
    await page.reload();
  }
}

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** WCAG 2.1 A/AA violations axe-core finds on the current page, one readable line block each. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // The app's CSP allows only same-origin scripts, so an inline <script> with axe would be
  // refused; evaluating the source through the DevTools protocol is not subject to the CSP.
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axe.source);
  const { passed, violations } = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: typeof axe }).axe
        .run(document, { runOnly: { type: 'tag', values: tags } })
        .then((results) => ({
          passed: results.passes.length,
          violations: results.violations.map((violation) => ({
            id: violation.id,
            impact: violation.impact,
            help: violation.help,
            helpUrl: violation.helpUrl,
            nodes: violation.nodes.map((node) => ({ target: node.target, failureSummary: node.failureSummary })),
          })),
        })),
    WCAG_AA_TAGS,
  );
  // An empty result must mean "checked and clean", not "nothing was checked".
  if (passed === 0) throw new Error(`axe passed no rule at all on ${page.url()}`);
  return violations.map(formatViolation);
}

function formatViolation(violation: AxeViolation): string {
  const nodes = violation.nodes
    .map(
      (node) =>
        `    at ${JSON.stringify(node.target)}\n      ${(node.failureSummary ?? '').replace(/\n/g, '\n      ')}`,
    )
    .join('\n');
  return `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help}\n    ${violation.helpUrl}\n${nodes}`;
}

type TestSystem = Awaited<ReturnType<typeof startTestSystem>>;

/**
 * One Lotse system and one Chromium for a test file. Every browser context it opens reports uncaught
 * script errors, CSP refusals and forms-live failures, and each test fails on them: a page can look
 * right while its script is blocked.
 */
export function useBrowserSystem(overrides: Record<string, string> = {}) {
  let system: TestSystem | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const scriptErrors: string[] = [];

  beforeAll(async () => {
    [system, browser] = await Promise.all([startTestSystem(overrides), launchChromium()]);
  });
  afterEach(() => {
    expect(scriptErrors.splice(0), 'script errors in the browser').toEqual([]);
  });
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await system?.stop();
  });

  const started = () => {
    if (!system || !browser) throw new Error('the browser system is not started yet (use it inside a test)');
    return { system, browser };
  };

  const harness = {
    get system(): TestSystem {
      return started().system;
    },
    async userContext(options: BrowserContextOptions = {}) {
      const context = await newUserContext(started().browser, started().system.url, options);
      context.on('weberror', (error) => scriptErrors.push(String(error.error())));
      context.on('console', (message) => {
        // forms-live.js reports its own failures this way, and then leaves the page as the server made it.
        if (message.text().includes('Content Security Policy') || message.text().startsWith('forms-live')) {
          scriptErrors.push(message.text());
        }
      });
      contexts.push(context);
      return context;
    },
    /** A company user of a company of their own: no draft or case of another test is in the way. */
    async newApplicant(company: string, name: string) {
      const account = { email: `e2e-${randomUUID()}@example.com`, password: 'E2e-Password-1' };
      await createCompanyWithUser(started().system.db, {
        company,
        email: account.email,
        name,
        password: account.password,
      });
      return account;
    },
    /** Logged in as a new applicant (see `newApplicant`), on their first page. */
    async applicantPage(company: string, name: string, options: BrowserContextOptions = {}): Promise<Page> {
      const account = await harness.newApplicant(company, name);
      return logIn(await harness.userContext(options), account, account.password);
    },
  };
  return harness;
}

/** Soft: a violation is reported with the page's name, and the journey goes on to the next page. */
export async function expectAccessible(page: Page, name: string) {
  expect.soft(await accessibilityViolations(page), `axe WCAG 2.1 AA violations on ${name}`).toEqual([]);
}
