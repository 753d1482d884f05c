import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { StaffRole } from '../services/auth.service.js';
import path from 'node:path';
import Handlebars from 'handlebars';
import { translate, type Locale } from './i18n.js';

export interface PageContext {
  locale: Locale;
  csrfToken: string;
  title: string;
  principal?: {
    kind: 'applicant' | 'staff';
    name: string;
    companyName?: string;
    roles?: Partial<Record<StaffRole, boolean>>;
  };
  /** Path of the current page, for the language switch and `aria-current`. */
  currentPath: string;
  area: 'portal' | 'staff';
}

export interface ViewRenderer {
  render(view: string, page: PageContext, data?: Record<string, unknown>): string;
}

const dateFormats: Record<Locale, Intl.DateTimeFormat> = {
  de: new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }),
};

/**
 * Compiles every view once at start (composition root), from the given folders; `name` is
 * `<folder key>/<file>` (e.g. `portal/catalog`). All output is escaped unless a template says
 * otherwise with a reason.
 */
export function createViewRenderer(folders: Record<string, string>): ViewRenderer {
  const hbs = Handlebars.create();
  hbs.registerHelper('t', function (this: unknown, key: string, options: Handlebars.HelperOptions) {
    return translate(localeOf(options), key);
  });
  hbs.registerHelper('date', (value: unknown, options: Handlebars.HelperOptions) => {
    const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
    return date && !Number.isNaN(date.getTime()) ? dateFormats[localeOf(options)].format(date) : '';
  });
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // `(or a b …)`: true when any argument is (Handlebars passes its options object last).
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('localized', (value: unknown, options: Handlebars.HelperOptions) => {
    if (typeof value !== 'object' || value === null) return '';
    const locale = localeOf(options);
    const text: unknown = Reflect.get(value, locale) ?? Reflect.get(value, 'de');
    return typeof text === 'string' ? text : '';
  });
  hbs.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).join(''));
  hbs.registerHelper('iso', (value: unknown) => (value instanceof Date ? value.toISOString() : ''));

  const layout = hbs.compile(readFileSync(new URL('./views/layout.hbs', import.meta.url), 'utf8'));
  const templates = new Map<string, Handlebars.TemplateDelegate>();
  for (const [key, folder] of Object.entries(folders)) {
    for (const file of hbsFiles(folder)) {
      templates.set(
        `${key}/${path.basename(file, '.hbs')}`,
        hbs.compile(readFileSync(path.join(folder, file), 'utf8')),
      );
    }
    // `partials/case-answers.hbs` is used as `{{> caseAnswers}}`.
    const partials = path.join(folder, 'partials');
    for (const file of existsSync(partials) ? hbsFiles(partials) : []) {
      const name = path.basename(file, '.hbs').replace(/-(\w)/g, (_m, letter: string) => letter.toUpperCase());
      hbs.registerPartial(name, readFileSync(path.join(partials, file), 'utf8'));
    }
  }
  return {
    render(view, page, data = {}) {
      const template = templates.get(view);
      if (!template) throw new Error(`No view ${view}`);
      const context = { ...data, page };
      const body = template(context, { data: { locale: page.locale } });
      return layout({ page, body, otherLocale: page.locale === 'de' ? 'en' : 'de' }, { data: { locale: page.locale } });
    },
  };
}

function localeOf(options: Handlebars.HelperOptions): Locale {
  return options.data?.locale === 'en' ? 'en' : 'de';
}

function hbsFiles(folder: string): string[] {
  return readdirSync(folder).filter((name) => name.endsWith('.hbs'));
}
