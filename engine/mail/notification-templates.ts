/**
 * Mails to companies from templates (issue 11, ADR 0030). Each kind has one Handlebars file per language in
 * `templates/<kind>.<lang>.hbs`: the subject on the first line, `---`, then the body as paragraphs separated by blank
 * lines. The body is rendered twice — as plain text, and escaped into the shared accessible HTML layout — so both
 * parts of the multipart mail say the same. Links are written `{{link "label" url}}`: an anchor in
 * the HTML part, the bare address in the text part.
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

export type MailLanguage = 'de' | 'en';

/** What a template may use. Every string here may come from a company or a user: it is escaped in the HTML part. */
export interface NotificationData {
  /** The recipient's name. */
  name: string;
  caseNumber: string;
  /** The case's subject as the company gave it; absent when the service has none. */
  subject?: string | null;
  serviceTitle: string;
  caseLink: string;
  /** Where the recipient switches notifications off (the footer links here). */
  settingsLink: string;
  taskName?: string | null;
  /** ISO date-time: shown as a date in the mail's language. */
  dueDate?: string;
  /** Whether the recipient could switch this kind off (the footer says so). */
  optional: boolean;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const TEMPLATES = new URL('./templates/', import.meta.url);

type Mode = 'text' | 'html';

function environment(mode: Mode, language: MailLanguage) {
  const env = Handlebars.create();
  env.registerHelper('link', (label: unknown, url: unknown) =>
    // In the text part the address stands alone: mail programs make it clickable, a label would only repeat.
    mode === 'text'
      ? String(url)
      : new env.SafeString(`<a href="${env.escapeExpression(String(url))}">${env.escapeExpression(String(label))}</a>`),
  );
  env.registerHelper('date', (iso: unknown) =>
    typeof iso === 'string'
      ? new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', {
          dateStyle: 'long',
          timeZone: 'Europe/Berlin',
        }).format(new Date(iso))
      : '',
  );
  return env;
}

interface CompiledTemplate {
  subject: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
  html: HandlebarsTemplateDelegate;
}

const cache = new Map<string, CompiledTemplate>();

/** The template `<name>.<language>.hbs`, compiled once for each mode; a missing file throws at first use. */
function template(name: string, language: MailLanguage): CompiledTemplate {
  const key = `${name}.${language}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const source = readFileSync(new URL(`${key}.hbs`, TEMPLATES), 'utf8');
  const split = source.indexOf('\n---\n');
  if (split < 0) throw new Error(`mail template ${key}: no "---" line after the subject`);
  const subjectSource = source.slice(0, split).trim();
  const bodySource = source.slice(split + 5).trim();
  const text = environment('text', language);
  const html = environment('html', language);
  const compiled = {
    subject: text.compile(subjectSource, { noEscape: true, strict: false }),
    text: text.compile(bodySource, { noEscape: true }),
    html: html.compile(bodySource),
  };
  cache.set(key, compiled);
  return compiled;
}

/** Paragraphs (blank-line separated) as HTML; single line breaks stay line breaks. Input is escaped already. */
function paragraphs(escaped: string): string {
  return escaped
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${paragraph.split('\n').join('<br>\n')}</p>`)
    .join('\n');
}

/** A value on one line: what a company typed must not break the subject header or the layout. */
const oneLine = (value: string | null | undefined) => (value ?? '').replace(/\s+/g, ' ').trim();

/** The mail of a notification in the recipient's language: subject, text part and HTML part. */
export function renderNotification(kind: string, language: MailLanguage, data: NotificationData): RenderedMail {
  const values = {
    ...data,
    name: oneLine(data.name),
    subject: oneLine(data.subject) || undefined,
    serviceTitle: oneLine(data.serviceTitle),
    taskName: oneLine(data.taskName) || undefined,
  };
  const body = template(kind, language);
  const footer = template('footer', language);
  const layout = template('layout', language);
  const subject = oneLine(body.subject(values));
  const text = `${body.text(values).trim()}\n\n-- \n${footer.text(values).trim()}\n`;
  const html = layout.html({
    ...values,
    title: subject,
    content: new Handlebars.SafeString(paragraphs(body.html(values))),
    footer: new Handlebars.SafeString(paragraphs(footer.html(values))),
  });
  return { subject, text, html: html.trim() + '\n' };
}
