import { fileURLToPath } from 'node:url';
import connectPgSimple from 'connect-pg-simple';
import express, { type Express, type RequestHandler } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import type pg from 'pg';
import { createAdminRouter, type AdminDeps } from '../../admin/admin.routes.js';
import { createPortalRouter, type PortalDeps } from '../../portal/portal.routes.js';
import type { Logger } from '../log/logger.js';
import {
  csrfProtection,
  errorHandler,
  localeSelection,
  notFoundHandler,
  rejectNulInput,
  sessionLifetime,
  type SessionLimits,
} from '../web/http.js';

export interface WebDeps extends PortalDeps, AdminDeps {
  pool: pg.Pool;
  sessionSecret: string;
  secureCookies: boolean;
  sessionLimits: SessionLimits;
  /** PUBLIC_URL: besides the request's own address, the origin state-changing requests may come from. */
  publicUrl?: string;
  /** Parses multipart forms (uploads) into `req.body`; it must run before the CSRF check reads `_csrf`. */
  multipartBody: RequestHandler;
  /** Browser scripts built at start (engine/web/browser-assets.ts), served under /static next to the public files. */
  assetsDir: string;
  health: () => Promise<Record<string, unknown> & { ok: boolean }>;
  logger: Logger;
}

const PUBLIC_DIR = fileURLToPath(new URL('../web/public', import.meta.url));
const FORMS_CSS = fileURLToPath(new URL('../../forms/forms.css', import.meta.url));

/** The HTTP application: portal at `/`, staff area at `/staff`, health at `/healthz`. */
export function createWebApp(deps: WebDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'form-action': ["'self'"] } },
      // Same-origin only: nothing of Lotse is meant to be embedded.
      crossOriginEmbedderPolicy: false,
      // Not helmet's `no-referrer`: under it browsers send `Origin: null` with every form, and the Origin check
      // (ADR 0026) could not tell our forms from a sandboxed attacker. Other sites still learn nothing.
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.get('/healthz', async (_req, res) => {
    const health = await deps.health();
    res.status(health.ok ? 200 : 503).json(health);
  });
  app.get('/favicon.ico', (_req, res) => res.status(204).end());
  app.use('/static', express.static(PUBLIC_DIR, { maxAge: '1h', index: false }));
  // The form library's own styles (grid rows, lists, groups, adorners) live with the library.
  app.get('/static/forms.css', (_req, res) => res.sendFile(FORMS_CSS, { maxAge: '1h' }));
  app.use('/static', express.static(deps.assetsDir, { maxAge: '1h', index: false }));
  app.use((_req, res, next) => {
    // Pages show personal data: never keep them in shared caches. Set before anything can answer (a refused
    // CSRF token, an unreadable form), so those answers are not kept either.
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 500 }));
  const PgStore = connectPgSimple(session);
  app.use(
    session({
      name: 'lotse.sid',
      store: new PgStore({ pool: deps.pool, tableName: 'session', createTableIfMissing: false }),
      secret: deps.sessionSecret,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.secureCookies,
        maxAge: deps.sessionLimits.idleMinutes * 60_000,
      },
    }),
  );
  app.use(sessionLifetime(deps.sessionLimits));
  app.use(localeSelection);
  app.use(deps.multipartBody);
  app.use(rejectNulInput);
  app.use(csrfProtection(deps.views, deps.publicUrl));
  app.use('/staff', createAdminRouter(deps));
  app.use('/', createPortalRouter(deps));
  app.use(notFoundHandler(deps.views));
  app.use(errorHandler(deps.views, deps.logger));
  return app;
}
