import type { Request, Response } from 'express';
import type { CompanyUserSession } from '../engine/services/auth.service.js';
import { translate, type Locale } from '../engine/web/i18n.js';
import { localeOf } from '../engine/web/http.js';

/** The logged-in company user, or undefined after redirecting to the login (which comes back here). */
export function requireApplicant(req: Request, res: Response): CompanyUserSession | undefined {
  const principal = req.session.principal;
  if (principal?.kind === 'applicant') return principal;
  res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
  return undefined;
}

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
