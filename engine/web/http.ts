import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SessionData } from 'express-session';
import type { SessionPrincipal, StaffRole, StaffSession } from '../services/auth.service.js';
import { BadMultipartError } from '../files/multipart.js';
import type { Logger } from '../log/logger.js';
import { unavailablePart } from '../services/unavailable.js';
import { isLocale, translate, type Locale } from './i18n.js';
import type { PageContext, ViewRenderer } from './views.js';

declare module 'express-session' {
  interface SessionData {
    csrfToken: string;
    principal: SessionPrincipal;
    locale: Locale;
    /** When the principal logged in (ms): the absolute session limit counts from here. */
    signedInAt: number;
    /** The principal's last request (ms): the idle limit counts from here. */
    lastSeenAt: number;
  }
}

/** Input no part of Lotse can keep: PostgreSQL stores no NUL character in text or JSON. Answered 400. */
export class UnreadableInputError extends Error {
  override name = 'UnreadableInputError';
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([key, entry]) => key.includes('\u0000') || containsNul(entry));
  }
  return false;
}

/** Refuses a form with a NUL anywhere (400) before a route passes it to the database, which would fail with a 500. */
export const rejectNulInput: RequestHandler = (req, _res, next) => {
  next(containsNul(req.body) ? new UnreadableInputError('a NUL character in the form') : undefined);
};

/** Thrown by route handlers for ids the principal may not see: always the same 404 page. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** The value of a request cookie (no cookie parser: express-session reads only its own). */
function cookieOf(req: Request, name: string): string | undefined {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

const TOKEN = /^[A-Za-z0-9_-]{32}$/;
const newToken = () => randomBytes(24).toString('base64url');
// `__Host-` cookies can only be set over HTTPS by this host itself: no subdomain can plant a token.
const csrfCookieName = (req: Request) => (req.secure ? '__Host-lotse.csrf' : 'lotse.csrf');
const LOCALE_COOKIE = 'lotse.lang';
const issuedCookieTokens = new WeakMap<Request, string>();

/**
 * Without a login there is nothing to keep in a session: anonymous forms (login, contact) carry a
 * double-submit token instead, a random value in an HttpOnly cookie that the form echoes. A session
 * (a database row) is only made at login, so anonymous page views write nothing.
 */
function cookieCsrfToken(req: Request): string {
  const sent = cookieOf(req, csrfCookieName(req));
  if (sent && TOKEN.test(sent)) return sent;
  const issued = issuedCookieTokens.get(req) ?? newToken();
  if (!issuedCookieTokens.has(req)) {
    issuedCookieTokens.set(req, issued);
    req.res?.cookie(csrfCookieName(req), issued, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
  }
  return issued;
}

/** The token forms must echo: the session's once logged in (synchronizer token), else the cookie's. */
export function csrfTokenOf(req: Request): string {
  const session: Partial<SessionData> | undefined = req.session;
  if (session?.csrfToken) return session.csrfToken;
  if (session?.principal) return (session.csrfToken = newToken());
  return cookieCsrfToken(req);
}

/**
 * Where a state-changing request came from, as the browser says (Origin, else Referer): true when it is this
 * site (the address the request was made to, or PUBLIC_URL behind a proxy). A request with neither header comes
 * from a program, not from a page a browser shows: the CSRF token alone decides (ADR 0026).
 */
export function sameOrigin(req: Request, publicUrl?: string): boolean {
  const claimed = req.get('origin') ?? req.get('referer');
  if (claimed === undefined) return true;
  let origin: string;
  try {
    origin = new URL(claimed).origin;
  } catch {
    return false;
  }
  const own = [`${req.protocol}://${req.get('host') ?? ''}`, ...(publicUrl ? [new URL(publicUrl).origin] : [])];
  return own.includes(origin);
}

/**
 * Every state-changing request must come from this site (`sameOrigin`) and echo its token in `_csrf` (see
 * `csrfTokenOf`), or nothing happens.
 */
export function csrfProtection(views: ViewRenderer, publicUrl?: string): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    if (!sameOrigin(req, publicUrl)) {
      res
        .status(403)
        .send(
          views.render('web/error', pageOf(req, translate(localeOf(req), 'error.forbidden')), { kind: 'forbidden' }),
        );
      return;
    }
    const sent: unknown = req.body?._csrf;
    const session: Partial<SessionData> | undefined = req.session;
    const fromCookie = cookieOf(req, csrfCookieName(req));
    const expected = session?.csrfToken ?? (fromCookie && TOKEN.test(fromCookie) ? fromCookie : undefined);
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

/**
 * `?lang=en` switches the language; German is the default. It is kept in a cookie (a session row
 * for every visitor who picks a language would be storage for nothing) and, once logged in, in the session.
 */
export const localeSelection: RequestHandler = (req, res, next) => {
  const requested = req.query.lang;
  if (isLocale(requested)) {
    res.cookie(LOCALE_COOKIE, requested, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      maxAge: 365 * 86_400_000,
    });
    const session: Partial<SessionData> | undefined = req.session;
    if (session?.principal) session.locale = requested;
  }
  next();
};

export function localeOf(req: Request): Locale {
  // No session when its store (the database) is down: error pages still need a language.
  const session: Partial<SessionData> | undefined = req.session;
  if (isLocale(req.query.lang)) return req.query.lang;
  const chosen = cookieOf(req, LOCALE_COOKIE);
  return session?.locale ?? (isLocale(chosen) ? chosen : 'de');
}

export function pageOf(req: Request, title: string): PageContext {
  const principal = req.session.principal;
  return {
    locale: localeOf(req),
    csrfToken: csrfTokenOf(req),
    title,
    // Inside a router `req.path` is relative to its mount point (`/staff` → `/inbox`): the full path decides.
    currentPath: req.baseUrl + req.path,
    area: (req.baseUrl + req.path).startsWith('/staff') ? 'staff' : 'portal',
    principal: principal
      ? principal.kind === 'applicant'
        ? { kind: 'applicant', name: principal.name, companyName: principal.companyName }
        : { kind: 'staff', name: principal.name, roles: rolesOf(principal) }
      : undefined,
  };
}

/** The roles of a staff member as flags, for templates (`page.principal.roles.administrator`). */
function rolesOf(member: StaffSession): Partial<Record<StaffRole, boolean>> {
  // A session from before roles existed has none: the member logs in again to get them.
  return Object.fromEntries((member.roles ?? []).map((role) => [role, true]));
}

export interface SessionLimits {
  /** `SESSION_IDLE_MINUTES`: a login without a request for this long ends. */
  idleMinutes: number;
  /** `SESSION_ABSOLUTE_HOURS`: a login ends this long after it began, however busy. */
  absoluteHours: number;
}

/**
 * Ends a login that was idle or lasted too long: the request goes on on a fresh, empty session (the guard then
 * sends the browser to the login page, which comes back to the page afterwards). Checked here and not only by
 * the cookie's lifetime, since a cookie's expiry is the browser's to keep.
 */
export function sessionLifetime(limits: SessionLimits, clock: () => number = Date.now): RequestHandler {
  return (req, _res, next) => {
    const session: Partial<SessionData> | undefined = req.session;
    if (!session?.principal) return next();
    const now = clock();
    const signedInAt = session.signedInAt ?? now;
    const lastSeenAt = session.lastSeenAt ?? now;
    const expired =
      now - lastSeenAt > limits.idleMinutes * 60_000 || now - signedInAt > limits.absoluteHours * 3_600_000;
    if (!expired) {
      req.session.signedInAt = signedInAt;
      req.session.lastSeenAt = now;
      return next();
    }
    req.session.regenerate((error) => next(error));
  };
}

/** Logs a principal in on a fresh session id (no session fixation). */
export function establishSession(req: Request, principal: SessionPrincipal): Promise<void> {
  const locale = localeOf(req);
  return new Promise((resolve, reject) => {
    req.session.regenerate((error) => {
      if (error) return reject(error);
      req.session.principal = principal;
      req.session.signedInAt = req.session.lastSeenAt = Date.now();
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

type ErrorKind = 'notFound' | 'unavailable' | 'tooLarge' | 'badRequest' | 'server';

/** The one mapping of errors to answers: status and which error page. */
function answerTo(error: unknown): { status: number; kind: ErrorKind } {
  if (error instanceof NotFoundError) return { status: 404, kind: 'notFound' };
  // PostgreSQL or Temporal down or restarting: "try again shortly", not "something broke".
  if (unavailablePart(error)) return { status: 503, kind: 'unavailable' };
  // Hostile or broken input is the client's fault: a clear 4xx page, never a 500.
  switch (bodyParserType(error)) {
    case 'entity.too.large':
      return { status: 413, kind: 'tooLarge' };
    case 'parameters.too.many':
    case 'entity.parse.failed':
    case 'entity.verify.failed':
    case 'request.aborted':
    case 'request.size.invalid':
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 400, kind: 'badRequest' };
  }
  if (error instanceof BadMultipartError || error instanceof UnreadableInputError || error instanceof URIError) {
    return { status: 400, kind: 'badRequest' };
  }
  return { status: 500, kind: 'server' };
}

/** The page of the form a POST came from, as a same-origin path: the form's GET shows it again. */
function formPathOf(req: Request): string | undefined {
  const path = req.originalUrl.split('?')[0] ?? '';
  return req.method === 'POST' && path.startsWith('/') && !path.startsWith('//') ? path : undefined;
}

/** body-parser marks its errors with a `type` (`entity.too.large`, `parameters.too.many`, …). */
function bodyParserType(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'type' in error && typeof error.type === 'string'
    ? error.type
    : undefined;
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
      : { locale: localeOf(req), csrfToken: '', title, currentPath: req.baseUrl + req.path, area: 'portal' };
    // A form that could not be read: a way back to it (the body was not parsed, so nothing to refill).
    const back = kind === 'tooLarge' || kind === 'badRequest' ? formPathOf(req) : undefined;
    res.send(views.render('web/error', page, { kind, back }));
  } catch (renderError) {
    console.error(`[web] the error page failed:`, renderError instanceof Error ? renderError.message : renderError);
    res.type('text/plain').send(translate(localeOf(req), `error.${kind}`));
  }
}

export function notFoundHandler(views: ViewRenderer) {
  return (req: Request, res: Response) => sendErrorPage(views, req, res, 404, 'notFound');
}

export function errorHandler(views: ViewRenderer, logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, kind } = answerTo(error);
    // Log the error, never the request body: it may hold personal data or passwords. An outage gets one line:
    // its stack says nothing new. `err` goes through the logger's serializer, which drops query parameters.
    const request = { method: req.method, path: req.path, status };
    if (kind === 'unavailable') logger.warn({ ...request, part: unavailablePart(error) }, 'a part is unavailable');
    else if (kind === 'server') logger.error({ ...request, err: error }, 'request failed');
    else if (kind !== 'notFound')
      logger.info({ ...request, reason: bodyParserType(error) }, 'refused unreadable input');
    if (res.headersSent) return;
    sendErrorPage(views, req, res, status, kind);
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids in paths are UUIDs; anything else is answered 404 without a database query. */
export const isUuid = (value: string) => UUID.test(value);
