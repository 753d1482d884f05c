/**
 * Mails to a case's company (issue 11, ADR 0030): what engine/case/notifications.ts plans, rendered per member in
 * their language (engine/mail/notification-templates.ts) and written to the outbox. The outbox rows are written
 * before the caller goes on; delivery follows in the background, so a slow or broken mail server never holds up
 * or fails a case step. Mails whose delivery failed are sent again by the hourly sweep.
 */
import {
  deadlineRemindersDue,
  DEADLINE_REMINDER_MS,
  isOptionalNotification,
  notificationMailKey,
  recipientsOf,
  type CaseNotification,
} from '../case/notifications.js';
import { renderLetterPdf } from '../documents/letter-pdf.js';
import { receiptLetter, type ReceiptCase } from '../documents/receipt.js';
import type { Logger } from '../log/logger.js';
import type { MailAttachment, Mailer, OutgoingMail } from '../mail/mailer.js';
import { renderNotification, type MailLanguage } from '../mail/notification-templates.js';
import type { NotificationSettingsRepository } from '../repositories/company.repository.js';
import type { NotificationRepository } from '../repositories/notification.repository.js';
import type { OutboxRepository } from '../repositories/outbox.repository.js';

/** A failed delivery is tried again once it is this old (the background delivery has had its chance). */
const RETRY_AFTER_MS = 5 * 60_000;
const RETRIES_PER_SWEEP = 200;

export interface NotificationSweepSummary {
  reminders: number;
  resent: number;
}

export interface NotificationActivities {
  /** Deadline reminders for company tasks due within two days, and a new try for mails not delivered. */
  sweepNotifications(): Promise<NotificationSweepSummary>;
}

export interface CompanyNotifierDeps {
  cases: Pick<NotificationRepository, 'caseOf' | 'companyTasksDue'>;
  members: Pick<NotificationSettingsRepository, 'membersOf'>;
  outbox: Pick<OutboxRepository, 'unsentNotifications'>;
  mailer: Mailer;
  /** The portal's address for links in mails: PUBLIC_URL, else where this system listens. */
  publicUrl: () => string;
  logger: Logger;
  clock?: () => Date;
}

export type CompanyNotifier = ReturnType<typeof createCompanyNotifier>;

export function createCompanyNotifier(deps: CompanyNotifierDeps) {
  const { mailer, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const base = () => deps.publicUrl().replace(/\/$/, '');

  async function receiptOf(found: ReceiptCase, language: MailLanguage, caseNumber: string): Promise<MailAttachment> {
    return {
      filename: `${language === 'de' ? 'Eingangsbestaetigung' : 'Receipt'}-${caseNumber}.pdf`,
      content: await renderLetterPdf(receiptLetter(found, language)),
      contentType: 'application/pdf',
    };
  }

  function deliverLater(mails: OutgoingMail[]) {
    void (async () => {
      for (const mail of mails) {
        try {
          await mailer.send(mail);
        } catch (error) {
          // The row stays unsent: the sweep tries again. The address is personal data and stays out of the log.
          logger.error({ err: error, mail: mail.idempotencyKey }, 'a notification was not delivered');
        }
      }
    })();
  }

  /** Renders and writes the notifications of one case for its company's members; delivery follows. */
  async function notify(caseId: string, notifications: readonly CaseNotification[]): Promise<void> {
    if (notifications.length === 0) return;
    const found = await deps.cases.caseOf(caseId);
    // Trial and scenario cases belong to a made-up company: no mail leaves for them.
    if (!found || found.trial) return;
    const members = await deps.members.membersOf(found.companyId);
    const mails: OutgoingMail[] = [];
    for (const notification of notifications) {
      for (const member of recipientsOf(notification.kind, members)) {
        const language = member.language;
        const caseLink = `${base()}/cases/${caseId}${language === 'en' ? '?lang=en' : ''}`;
        const rendered = renderNotification(notification.kind, language, {
          name: member.name,
          caseNumber: found.number,
          subject: found.subject,
          serviceTitle: language === 'de' ? found.serviceTitleDe : found.serviceTitleEn,
          caseLink: notification.kind === 'message' ? `${caseLink}#messages` : caseLink,
          settingsLink: `${base()}/account/notifications${language === 'en' ? '?lang=en' : ''}`,
          taskName: notification.taskName,
          dueDate: notification.dueDate,
          optional: isOptionalNotification(notification.kind),
        });
        mails.push({
          idempotencyKey: notificationMailKey(notification.eventKey, member.userId),
          caseId,
          to: member.email,
          subject: rendered.subject,
          body: rendered.text,
          html: rendered.html,
          ...(notification.kind === 'submitted' && {
            attachments: [await receiptOf(found, language, found.number)],
          }),
        });
      }
    }
    for (const mail of mails) await mailer.enqueue(mail);
    deliverLater(mails);
  }

  /** Mails of the outbox whose delivery failed, sent again; a submission's receipt is made again for it. */
  async function resendUndelivered(now: Date): Promise<number> {
    if (!mailer.delivers) return 0;
    const rows = await deps.outbox.unsentNotifications(new Date(now.getTime() - RETRY_AFTER_MS), RETRIES_PER_SWEEP);
    let resent = 0;
    for (const row of rows) {
      let attachments: MailAttachment[] | undefined;
      if (row.idempotencyKey.startsWith('notification:submitted:') && row.caseId) {
        const found = await deps.cases.caseOf(row.caseId);
        // The language the mail was written in, as its HTML part says.
        const language: MailLanguage = row.htmlBody?.includes('<html lang="en">') ? 'en' : 'de';
        if (found) attachments = [await receiptOf(found, language, found.number)];
      }
      try {
        await mailer.send({
          idempotencyKey: row.idempotencyKey,
          ...(row.caseId && { caseId: row.caseId }),
          to: row.recipient,
          subject: row.subject,
          body: row.body,
          ...(row.htmlBody !== null && { html: row.htmlBody }),
          ...(attachments && { attachments }),
        });
        resent++;
      } catch (error) {
        logger.error({ err: error, mail: row.idempotencyKey }, 'a notification was not delivered again');
      }
    }
    return resent;
  }

  const activities: NotificationActivities = {
    async sweepNotifications() {
      const now = clock();
      const due = await deps.cases.companyTasksDue(now, new Date(now.getTime() + DEADLINE_REMINDER_MS));
      let reminders = 0;
      for (const task of due) {
        if (!task.dueDate) continue;
        const planned = deadlineRemindersDue([{ id: task.id, name: task.name, dueDate: task.dueDate }], now);
        await notify(task.caseId, planned);
        reminders += planned.length;
      }
      return { reminders, resent: await resendUndelivered(now) };
    },
  };

  return {
    notify,
    /**
     * notify() for the projection activity: a mail that cannot be written is logged, never thrown — the
     * projection is written already and the case must go on.
     */
    async notifySafely(caseId: string, notifications: readonly CaseNotification[]) {
      try {
        await notify(caseId, notifications);
      } catch (error) {
        logger.error({ err: error, caseId }, 'the notifications of a case step were not written');
      }
    },
    activities,
  };
}
