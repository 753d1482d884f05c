/**
 * A company user's notification settings (`/account/notifications`, ADR 0030): the language of their mails and the
 * optional notifications they receive. The essential ones (submission, tasks, the case's end) are always sent.
 */
import { OPTIONAL_NOTIFICATIONS, type OptionalNotification } from '../case/notifications.js';
import type { NotificationSettingsRepository } from '../repositories/company.repository.js';
import type { CompanyUserSession } from './auth.service.js';

/** The kinds the settings page offers, in its order (re-exported: routes read the cores through services). */
export { OPTIONAL_NOTIFICATIONS };

export type MailLanguage = 'de' | 'en';
export const MAIL_LANGUAGES: readonly MailLanguage[] = ['de', 'en'];

export interface NotificationSettingsForm {
  /** As sent: an unknown value is kept for the form and refused. */
  language: string;
  receive: Record<OptionalNotification, boolean>;
}

export interface SettingsProblem {
  field: 'language';
  messageKey: string;
}

export type SaveSettingsOutcome =
  | { ok: true }
  | { ok: false; problems: SettingsProblem[]; values: NotificationSettingsForm }
  | { ok: false; notFound: true };

export interface NotificationSettingsService {
  /** The user's settings as the form shows them; undefined: the user is gone (→ 404). */
  formOf(user: CompanyUserSession): Promise<NotificationSettingsForm | undefined>;
  save(user: CompanyUserSession, input: Record<string, unknown>): Promise<SaveSettingsOutcome>;
}

/** One flag per optional kind: the type makes a new kind show up here. */
const receiveBy = (on: (kind: OptionalNotification) => boolean): Record<OptionalNotification, boolean> => ({
  message: on('message'),
  deadline: on('deadline'),
});

export const isMailLanguage = (value: unknown): value is MailLanguage =>
  typeof value === 'string' && (MAIL_LANGUAGES as readonly string[]).includes(value);

/** The form as sent: `language` (radio) and `receive` (a checkbox per optional kind; one value or several). */
export function settingsFormOf(input: Record<string, unknown>): NotificationSettingsForm {
  const checked = ([] as unknown[]).concat(input.receive ?? []).filter((value) => typeof value === 'string');
  return {
    language: typeof input.language === 'string' ? input.language.trim() : '',
    receive: receiveBy((kind) => checked.includes(kind)),
  };
}

export function createNotificationSettingsService(deps: {
  settings: Pick<NotificationSettingsRepository, 'settingsOf' | 'save'>;
}): NotificationSettingsService {
  return {
    async formOf(user) {
      const found = await deps.settings.settingsOf(user.userId);
      if (!found) return undefined;
      return {
        language: found.language,
        receive: receiveBy((kind) => !found.optOuts.includes(kind)),
      };
    },
    async save(user, input) {
      const values = settingsFormOf(input);
      if (!isMailLanguage(values.language))
        return { ok: false, problems: [{ field: 'language', messageKey: 'notifications.error.language' }], values };
      if (!(await deps.settings.settingsOf(user.userId))) return { ok: false, notFound: true };
      await deps.settings.save(user.userId, {
        language: values.language,
        optOuts: OPTIONAL_NOTIFICATIONS.filter((kind) => !values.receive[kind]),
      });
      return { ok: true };
    },
  };
}
