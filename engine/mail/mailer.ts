import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Database } from '../db/database.js';
import { outboxMails } from '../db/schema.js';

export interface OutgoingMail {
  /** Sending twice with the same key sends once. */
  idempotencyKey: string;
  caseId?: string;
  to: string;
  subject: string;
  body: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * Every mail is written to the outbox table first (viewable in the admin area); with SMTP_URL
 * set it is then delivered and marked sent. Without SMTP the outbox is where mail ends.
 */
export function createMailer(db: Database, smtpUrl: string | undefined, from: string): Mailer {
  const transport: Transporter | undefined = smtpUrl ? nodemailer.createTransport(smtpUrl) : undefined;
  return {
    async send(mail) {
      await db
        .insert(outboxMails)
        .values({
          idempotencyKey: mail.idempotencyKey,
          caseId: mail.caseId ?? null,
          recipient: mail.to,
          subject: mail.subject,
          body: mail.body,
        })
        .onConflictDoNothing();
      const [stored] = await db.select().from(outboxMails).where(eq(outboxMails.idempotencyKey, mail.idempotencyKey));
      if (!stored || stored.sentAt || !transport) return;
      // A crash between delivery and `sentAt` sends again on the job's retry: the same Message-ID lets
      // mail systems drop that duplicate.
      await transport.sendMail({
        from,
        to: stored.recipient,
        subject: stored.subject,
        text: stored.body,
        messageId: messageIdOf(stored.idempotencyKey),
      });
      await db.update(outboxMails).set({ sentAt: new Date() }).where(eq(outboxMails.id, stored.id));
    },
  };
}

function messageIdOf(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@lotse>`;
}
