import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';

export interface OutgoingMail {
  /** Sending twice with the same key sends once. */
  idempotencyKey: string;
  caseId?: string;
  to: string;
  subject: string;
  /** The text part. */
  body: string;
  /** The HTML part of a multipart mail (notifications, engine/mail/notification-templates.ts); absent: text only. */
  html?: string;
  /**
   * Files sent with the mail (the receipt of a submission). Not stored in the outbox: the sender makes them again
   * for a retry, from the case.
   */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface Mailer {
  /** Writes the mail to the outbox and delivers it (with SMTP); a mail sent before is not sent again. */
  send(mail: OutgoingMail): Promise<void>;
  /** Only writes the mail to the outbox: a later `send` of the same mail delivers it. */
  enqueue(mail: OutgoingMail): Promise<void>;
  /** Whether mail leaves the system (SMTP_URL set); without, the outbox is where mail ends. */
  delivers: boolean;
}

/** The outbox as the mailer uses it (engine/repositories/outbox.repository.ts owns the table). */
export interface MailOutbox {
  /** Stores the mail unless one with its idempotency key is there; returns the stored one either way. */
  record(mail: {
    idempotencyKey: string;
    caseId: string | null;
    recipient: string;
    subject: string;
    body: string;
    htmlBody: string | null;
  }): Promise<
    | {
        id: string;
        idempotencyKey: string;
        recipient: string;
        subject: string;
        body: string;
        htmlBody: string | null;
        sentAt: Date | null;
      }
    | undefined
  >;
  markSent(mailId: string, at: Date): Promise<void>;
}

/**
 * Every mail is written to the outbox first (viewable in the admin area); with SMTP_URL set it is then
 * delivered and marked sent. Without SMTP the outbox is where mail ends.
 */
export function createMailer(outbox: MailOutbox, smtpUrl: string | undefined, from: string): Mailer {
  const transport: Transporter | undefined = smtpUrl ? nodemailer.createTransport(smtpUrl) : undefined;
  const record = (mail: OutgoingMail) =>
    outbox.record({
      idempotencyKey: mail.idempotencyKey,
      caseId: mail.caseId ?? null,
      recipient: mail.to,
      subject: mail.subject,
      body: mail.body,
      htmlBody: mail.html ?? null,
    });
  return {
    delivers: transport !== undefined,
    async enqueue(mail) {
      await record(mail);
    },
    async send(mail) {
      const stored = await record(mail);
      if (!stored || stored.sentAt || !transport) return;
      // A crash between delivery and `sentAt` sends again on the job's retry: the same Message-ID lets
      // mail systems drop that duplicate.
      await transport.sendMail({
        from,
        to: stored.recipient,
        subject: stored.subject,
        text: stored.body,
        // With an HTML part nodemailer sends multipart/alternative: text first, so text-only readers get that.
        ...(stored.htmlBody !== null && { html: stored.htmlBody }),
        ...(mail.attachments && { attachments: mail.attachments }),
        messageId: messageIdOf(stored.idempotencyKey),
      });
      await outbox.markSent(stored.id, new Date());
    },
  };
}

function messageIdOf(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@lotse>`;
}
