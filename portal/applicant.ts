import type { Request } from 'express';
import { guardOf, type SignInArea } from '../engine/web/sign-in.js';
import { translate, type Locale } from '../engine/web/i18n.js';
import { localeOf } from '../engine/web/http.js';

/** The company area's sign-in (engine/web/sign-in.ts): its paths and login page. */
export const companyArea: SignInArea<'applicant'> = {
  kind: 'applicant',
  loginPath: '/login',
  returnBelow: '/',
  home: '/cases',
  afterLogout: '/services',
  view: 'portal/login',
  titleKey: 'login.title',
};

/** The logged-in company user, or undefined after redirecting to the login (which comes back here). */
export const requireApplicant = guardOf(companyArea);

/** A UI text with `{name}` placeholders filled in. */
export function text(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  return translate(locale, key).replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : placeholder,
  );
}

export const textFor = (req: Request) => (key: string, params?: Record<string, string | number>) =>
  text(localeOf(req), key, params);

const sizeFormats: Record<Locale, Intl.NumberFormat> = {
  de: new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }),
};

/** 10485760 → "10 MB" (binary megabytes, as file managers show them). */
export function fileSize(bytes: number, locale: Locale): string {
  if (bytes >= 1024 * 1024) return `${sizeFormats[locale].format(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${sizeFormats[locale].format(bytes / 1024)} KB`;
  return `${bytes} B`;
}
