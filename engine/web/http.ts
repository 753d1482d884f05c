import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SessionData } from 'express-session';
import type { SessionPrincipal } from '../services/auth.service.js';
import { unavailablePart } from '../services/unavailable.js';
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
  // No session when its store (the database) is down: error pages still need a language.
  const session: Partial<SessionData> | undefined = req.session;
  return session?.locale ?? (isLocale(req.query.lang) ? req.query.lang : 'de');
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

type ErrorKind = 'notFound' | 'unavailable' | 'server';

/** The one mapping of errors to answers: status and which error page. */
function answerTo(error: unknown): { status: number; kind: ErrorKind } {
  if (error instanceof NotFoundError) return { status: 404, kind: 'notFound' };
  // PostgreSQL or Temporal down or restarting: "try again shortly", not "something broke".
  if (unavailablePart(error)) return { status: 503, kind: 'unavailable' };
  return { status: 500, kind: 'server' };
}

/**
 * The styled error page. It must render when nothing else does: without a session (its store is the
 * database), and if even that fails, as plain text — never Express's default page with a stack trace.
 */
function sendErrorPage(views: ViewRenderer, req: Request, res: Response, status: number, kind: ErrorKind) {
  res.status(status);
  if (status === 503) res.set('Retry-After', '30');
  try {
    const title = translate(localeOf(req), `error.${kind}`);
    const session: Partial<SessionData> | undefined = req.session;
    const page: PageContext = session
      ? pageOf(req, title)
      : { locale: localeOf(req), csrfToken: '', title, currentPath: req.path, area: 'portal' };
    res.send(views.render('web/error', page, { kind }));
  } catch (renderError) {
    console.error(`[web] the error page failed:`, renderError instanceof Error ? renderError.message : renderError);
    res.type('text/plain').send(translate(localeOf(req), `error.${kind}`));
  }
}

export function notFoundHandler(views: ViewRenderer) {
  return (req: Request, res: Response) => sendErrorPage(views, req, res, 404, 'notFound');
}

export function errorHandler(views: ViewRenderer) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, kind } = answerTo(error);
    // Log the error, never the request body: it may hold personal data or passwords. An outage gets one line:
    // its stack says nothing new, and a failed query's message carries the query's parameters.
    if (kind === 'unavailable') console.error(`[web] ${req.method} ${req.path}: ${unavailablePart(error)} unavailable`);
    else if (kind === 'server')
      console.error(`[web] ${req.method} ${req.path} failed:`, error instanceof Error ? error.stack : error);
    if (res.headersSent) return;
    sendErrorPage(views, req, res, status, kind);
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids in paths are UUIDs; anything else is answered 404 without a database query. */
export const isUuid = (value: string) => UUID.test(value);
