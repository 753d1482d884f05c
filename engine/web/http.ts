import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SessionPrincipal } from '../services/auth.service.js';
import { isLocale, translate, type Locale } from './i18n.js';
import type { PageContext, ViewRenderer } from './views.js';

declare module 'express-session' {
  interface SessionData {
    csrfToken: string;
    principal: SessionPrincipal;
    locale: Locale;
  }
}

/** Thrown by route handlers for ids the principal may not see: always the same 404 page. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

export function csrfTokenOf(req: Request): string {
  if (!req.session.csrfToken) req.session.csrfToken = randomBytes(24).toString('base64url');
  return req.session.csrfToken;
}

/** Synchronizer token: every state-changing request must echo the session's token in `_csrf`. */
export function csrfProtection(views: ViewRenderer): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const sent: unknown = req.body?._csrf;
    const expected = req.session.csrfToken;
    if (typeof sent === 'string' && expected && safeEqual(sent, expected)) return next();
    res
      .status(403)
      .send(views.render('web/error', pageOf(req, translate(localeOf(req), 'error.forbidden')), { kind: 'forbidden' }));
  };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** `?lang=en` switches the language for the session; German is the default. */
export const localeSelection: RequestHandler = (req, _res, next) => {
  const requested = req.query.lang;
  if (isLocale(requested)) req.session.locale = requested;
  next();
};

export function localeOf(req: Request): Locale {
  return req.session.locale ?? 'de';
}

export function pageOf(req: Request, title: string): PageContext {
  const principal = req.session.principal;
  return {
    locale: localeOf(req),
    csrfToken: csrfTokenOf(req),
    title,
    currentPath: req.path,
    area: req.path.startsWith('/staff') ? 'staff' : 'portal',
    principal: principal
      ? principal.kind === 'applicant'
        ? { kind: 'applicant', name: principal.name, companyName: principal.companyName }
        : { kind: 'staff', name: principal.name, isAdmin: principal.isAdmin }
      : undefined,
  };
}

/** Logs a principal in on a fresh session id (no session fixation). */
export function establishSession(req: Request, principal: SessionPrincipal): Promise<void> {
  const locale = req.session.locale;
  return new Promise((resolve, reject) => {
    req.session.regenerate((error) => {
      if (error) return reject(error);
      req.session.principal = principal;
      if (locale) req.session.locale = locale;
      csrfTokenOf(req);
      req.session.save((saveError) => (saveError ? reject(saveError) : resolve()));
    });
  });
}

export function endSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((error) => (error ? reject(error) : resolve())));
}

/** Plain object of the urlencoded body without the CSRF field. */
export function formInput(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(Object.entries(body).filter(([key]) => key !== '_csrf' && key !== '_token'));
}

export function submissionTokenOf(req: Request): string | undefined {
  const token: unknown = req.body?._token;
  return typeof token === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(token) ? token : undefined;
}

export const newSubmissionToken = () => randomBytes(18).toString('base64url');

export function notFoundHandler(views: ViewRenderer) {
  return (req: Request, res: Response) => {
    res
      .status(404)
      .send(views.render('web/error', pageOf(req, translate(localeOf(req), 'error.notFound')), { kind: 'notFound' }));
  };
}

export function errorHandler(views: ViewRenderer) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof NotFoundError) return notFoundHandler(views)(req, res);
    // Log the error, never the request body: it may hold personal data or passwords.
    console.error(`[web] ${req.method} ${req.path} failed:`, error instanceof Error ? error.stack : error);
    if (res.headersSent) return;
    res
      .status(500)
      .send(views.render('web/error', pageOf(req, translate(localeOf(req), 'error.server')), { kind: 'server' }));
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids in paths are UUIDs; anything else is answered 404 without a database query. */
export const isUuid = (value: string) => UUID.test(value);
