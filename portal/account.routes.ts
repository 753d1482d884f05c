import { Router } from 'express';
import type { CompanyExportService } from '../engine/services/company-export.service.js';
import { MIN_PASSWORD_LENGTH } from '../engine/services/staff-rules.js';
import { localeOf, pageOf } from '../engine/web/http.js';
import { translate } from '../engine/web/i18n.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { requireApplicant } from './applicant.js';

export interface AccountDeps {
  exports: CompanyExportService;
  views: ViewRenderer;
}

/** The company user's account: who they are signed in as, and the company's data export. */
export function createAccountRouter({ exports, views }: AccountDeps): Router {
  const router = Router();

  router.get('/account', (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    res.send(
      views.render('portal/account', pageOf(req, translate(localeOf(req), 'account.title')), {
        user,
        // The change-password form (portal/account-access.routes.ts) posts from this page.
        minPasswordLength: MIN_PASSWORD_LENGTH,
        changed: req.query.changed === '1',
      }),
    );
  });

  router.get('/account/export.zip', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const { fileName, archive } = await exports.exportFor(user, localeOf(req));
    res.type('application/zip').attachment(fileName).set('X-Content-Type-Options', 'nosniff').send(archive);
  });

  return router;
}
