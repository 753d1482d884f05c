import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Mailer } from '../mail/mailer.js';
import type { MailQuotaRepository } from '../repositories/mail-quota.repository.js';
import { renderMarkdown } from '../../forms/markdown.js';
import { clientNetwork } from './login-throttle.js';

/** The pages every German public portal must have (TMG/DDG § 5, DSGVO Art. 13, BITV 2.0 § 7), by address. */
export const LEGAL_PAGES = ['impressum', 'datenschutz', 'barrierefreiheit'] as const;
export type LegalPage = (typeof LEGAL_PAGES)[number];
type Language = 'de' | 'en';

/**
 * A legal text as HTML, in the Markdown subset of the forms' text components (forms/markdown.ts: one Markdown in
 * Lotse): HTML in the file is escaped, links only to http(s) and mailto, headings from h2 (the page's title is
 * the h1). A `{{…}}` in the text stays as written.
 */
export function renderLegalMarkdown(source: string): string {
  return renderMarkdown(source, (expression) => `{{${expression}}}`).join('\n');
}

/** Each page's text as HTML, per language: read and rendered once at start (ADR 0032). */
export type LegalTexts = Record<LegalPage, Record<Language, string>>;

/**
 * Reads `<dir>/<page>.<de|en>.md` for every legal page. A missing file stops the start with its name: a portal
 * without its Impressum must not go online.
 */
export function loadLegalTexts(dir: string): LegalTexts {
  const read = (page: LegalPage, language: Language) => {
    const file = path.join(dir, `${page}.${language}.md`);
    try {
      return renderLegalMarkdown(readFileSync(file, 'utf8'));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`The legal text ${file} cannot be read (LEGAL_DIR): ${reason}`);
    }
  };
  const both = (page: LegalPage) => ({ de: read(page, 'de'), en: read(page, 'en') });
  return { impressum: both('impressum'), datenschutz: both('datenschutz'), barrierefreiheit: both('barrierefreiheit') };
}

export const FEEDBACK_MESSAGE_MAX = 5000;
const FEEDBACK_TEXT_MAX = 200;
const FEEDBACK_WINDOW_MS = 60 * 60_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface FeedbackValues {
  name: string;
  email: string;
  message: string;
  /** The page the problem was found on (optional, as typed). */
  location: string;
}

export interface FeedbackProblem {
  field: keyof FeedbackValues;
  messageKey: string;
}

export type FeedbackOutcome =
  | { ok: true }
  | { ok: false; values: FeedbackValues; problems: FeedbackProblem[] }
  | { ok: false; values: FeedbackValues; limited: true };

const textOf = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** The form's values, trimmed, and what is wrong with them (pure). Only the message is required. */
export function feedbackOf(input: Record<string, unknown>): { values: FeedbackValues; problems: FeedbackProblem[] } {
  const values: FeedbackValues = {
    name: textOf(input.name),
    email: textOf(input.email),
    message: textOf(input.message),
    location: textOf(input.location),
  };
  const problems: FeedbackProblem[] = [];
  if (values.name.length > FEEDBACK_TEXT_MAX) problems.push({ field: 'name', messageKey: 'legal.error.tooLong' });
  if (values.email && (!EMAIL.test(values.email) || values.email.length > FEEDBACK_TEXT_MAX))
    problems.push({ field: 'email', messageKey: 'legal.error.email' });
  if (values.location.length > FEEDBACK_TEXT_MAX)
    problems.push({ field: 'location', messageKey: 'legal.error.tooLong' });
  if (!values.message) problems.push({ field: 'message', messageKey: 'legal.error.messageRequired' });
  else if (values.message.length > FEEDBACK_MESSAGE_MAX)
    problems.push({ field: 'message', messageKey: 'legal.error.messageTooLong' });
  return { values, problems };
}

export interface LegalPagesServiceDeps {
  texts: LegalTexts;
  mailer: Pick<Mailer, 'send'>;
  mailQuotas: Pick<MailQuotaRepository, 'count'>;
  /** ACCESSIBILITY_CONTACT. */
  contact: string;
  /** ACCESSIBILITY_FEEDBACK_PER_NETWORK. */
  perNetwork: number;
  clock?: () => Date;
}

export interface LegalPagesService {
  /** The page's text as HTML (escaped Markdown, legal-markdown.ts). */
  html(page: LegalPage, language: Language): string;
  /** The address feedback goes to, shown on the statement so people without the form can write. */
  contact: string;
  /**
   * Mails a feedback message to the accessibility contact. `token` is the form's submission token: a second send
   * of the same form mails once. Counted per client network; over the limit nothing is sent.
   */
  sendFeedback(
    input: Record<string, unknown>,
    context: { token: string; address: string | undefined; language: Language },
  ): Promise<FeedbackOutcome>;
}

export function createLegalPagesService(deps: LegalPagesServiceDeps): LegalPagesService {
  const now = deps.clock ?? (() => new Date());
  return {
    html: (page, language) => deps.texts[page][language],
    contact: deps.contact,
    async sendFeedback(input, { token, address, language }) {
      const { values, problems } = feedbackOf(input);
      if (problems.length > 0) return { ok: false, values, problems };
      const key = `feedback:network:${clientNetwork(address)}`;
      const at = now();
      const counts = await deps.mailQuotas.count([key], at, new Date(at.getTime() - FEEDBACK_WINDOW_MS));
      if ((counts.get(key) ?? 0) > deps.perNetwork) return { ok: false, values, limited: true };
      await deps.mailer.send({
        idempotencyKey: `accessibility-feedback:${token}`,
        to: deps.contact,
        subject: 'Rückmeldung zur Barrierefreiheit (Unternehmensservice)',
        body: [
          'Über das Formular der Erklärung zur Barrierefreiheit kam diese Rückmeldung (BITV 2.0 § 7).',
          'Bitte antworten Sie innerhalb von sechs Wochen, wenn eine Antwortadresse angegeben ist.',
          '',
          `Name: ${values.name || '–'}`,
          `E-Mail: ${values.email || '–'}`,
          `Seite: ${values.location || '–'}`,
          `Sprache der Seite: ${language}`,
          '',
          values.message,
        ].join('\n'),
      });
      return { ok: true };
    },
  };
}
