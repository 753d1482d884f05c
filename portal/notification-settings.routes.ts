import { Router, type Request, type Response } from 'express';
import type { CompanyUserSession } from '../engine/services/auth.service.js';
import {
  MAIL_LANGUAGES,
  OPTIONAL_NOTIFICATIONS,
  type NotificationSettingsForm,
  type NotificationSettingsService,
  type SettingsProblem,
} from '../engine/services/notification-settings.service.js';
import { NotFoundError, formInput, pageOf } from '../engine/web/http.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { requireApplicant, textFor } from './applicant.js';

export interface NotificationSettingsDeps {
  notificationSettings: NotificationSettingsService;
  views: ViewRenderer;
}

/** `/account/notifications`: the language of the user's mails and the optional notifications (ADR 0030). */
export function createNotificationSettingsRouter({ notificationSettings, views }: NotificationSettingsDeps): Router {
  const router = Router();

  async function settingsPage(
    req: Request,
    res: Response,
    user: CompanyUserSession,
    state: { values?: NotificationSettingsForm; problems?: SettingsProblem[]; status?: number; saved?: boolean } = {},
  ) {
    const values = state.values ?? (await notificationSettings.formOf(user));
    if (!values) throw new NotFoundError();
    const t = textFor(req);
    const languageError = state.problems?.find((problem) => problem.field === 'language');
    res.status(state.status ?? 200).send(
      views.render('portal/notification-settings', pageOf(req, t('notifications.title')), {
        saved: state.saved,
        languageError: languageError && t(languageError.messageKey),
        languages: MAIL_LANGUAGES.map((language) => ({
          value: language,
          label: t(`notifications.language.${language}`),
          checked: values.language === language,
        })),
        optional: OPTIONAL_NOTIFICATIONS.map((kind) => ({
          kind,
          label: t(`notifications.kind.${kind}`),
          hint: t(`notifications.kind.${kind}.hint`),
          checked: values.receive[kind],
        })),
      }),
    );
  }

  router.get('/account/notifications', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    await settingsPage(req, res, user, { saved: req.query.saved === '1' });
  });

  router.post('/account/notifications', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const outcome = await notificationSettings.save(user, formInput(req));
    if (outcome.ok) return res.redirect(303, '/account/notifications?saved=1');
    if ('notFound' in outcome) throw new NotFoundError();
    return settingsPage(req, res, user, { values: outcome.values, problems: outcome.problems, status: 422 });
  });

  return router;
}
