/**
 * Messages between a case's company and its caseworkers (ADR 0025): plain text with attachments, which become
 * documents of the case (both sides see them among the case's documents). A message is read when someone of the
 * other side opens the case page; a new one is announced by mail with a link to the case, never with its text.
 */
import type { Logger } from '../log/logger.js';
import type { CaseNotification } from '../case/notifications.js';
import type { Mailer } from '../mail/mailer.js';
import type { Uploads } from '../files/multipart.js';
import type {
  CaseMessageRepository,
  CaseMessageRow,
  MessageRecipient,
  MessageSide,
} from '../repositories/case-message.repository.js';
import type { DocumentRow } from '../repositories/document.repository.js';
import type { CompanyUserSession, StaffSession } from './auth.service.js';
import type { DocumentService, UploadProblem } from './document.service.js';
import { MAX_FILES_PER_FIELD } from './draft-files.js';

export const MESSAGE_MAX_LENGTH = 5000;
/** A message attachment's field key: with a colon, so no form field (their keys are names) is taken for it. */
export const MESSAGE_FIELD_KEY = 'message:attachment';
/** The file input of the message form. */
export const ATTACHMENT_FIELD = 'attachments';

/** Who writes or reads: a user of the case's company, or a staff member who may see the case. */
export type MessageReader = CompanyUserSession | StaffSession;

export interface ThreadMessage {
  id: string;
  /** Written by the reader's own side (the company's colleagues, or the agency). */
  own: boolean;
  authorName: string;
  /** The text line by line: the page escapes each and keeps the breaks. */
  lines: string[];
  createdAt: Date;
  /** Read by the other side ("gelesen"); undefined for the messages the reader receives. */
  readByOther?: boolean;
  /** Not read by the reader's side before this page was opened. */
  isNew: boolean;
  attachments: Pick<DocumentRow, 'id' | 'fileName' | 'size'>[];
}

export interface Thread {
  caseId: string;
  caseNumber: string;
  messages: ThreadMessage[];
  /** Messages of the other side new to this reader's side. */
  unread: number;
  /** The longest text a message may have (the form's `maxlength`). */
  maxLength: number;
}

export type MessageError =
  { field: 'body'; code: 'messageEmpty' | 'messageTooLong' } | { field: 'attachments'; code: UploadProblem['code'] };

export type WriteResult = { ok: true; caseId: string } | { ok: false; body: string; errors: MessageError[] };

export interface CaseMessageService {
  /** The thread as the reader sees it; opening it marks the other side's messages read. undefined → 404. */
  open(reader: MessageReader, caseId: string): Promise<Thread | undefined>;
  /** Writes a message (once per submission token) and mails the other side. undefined → 404. */
  write(
    writer: MessageReader,
    caseId: string,
    input: { body: unknown; token: string },
    uploads: Uploads,
    origin: string,
  ): Promise<WriteResult | undefined>;
  /** Per case of the company: the agency's messages nobody of the company has read yet ("Meine Vorgänge"). */
  unreadForCompany(companyId: string): Promise<Map<string, number>>;
}

export interface CaseMessageServiceDeps {
  messages: CaseMessageRepository;
  documents: Pick<DocumentService, 'store' | 'listForCase'>;
  /** The staff case page's rule (case-view.service.ts): administrators every case, others one with a task for them. */
  mayView(member: StaffSession, caseId: string): Promise<boolean>;
  mailer: Mailer;
  /**
   * Tells the company's members of the agency's message, each in their language unless they switched it off
   * (engine/activities/notifications.activities.ts, ADR 0030); never throws.
   */
  notifyCompany: (caseId: string, notifications: readonly CaseNotification[]) => Promise<void>;
  /** PUBLIC_URL: where mailed links point; unset, the origin of the writer's request. */
  publicUrl?: string;
  logger: Logger;
  now?: () => Date;
}

const sideOf = (reader: MessageReader): MessageSide => (reader.kind === 'staff' ? 'staff' : 'company');
const actorOf = (reader: MessageReader) =>
  reader.kind === 'staff' ? `staff:${reader.staffId}` : `applicant:${reader.userId}`;

/** The text as written, without trailing blanks; Windows line ends as one break. */
export function messageText(body: unknown): string {
  return typeof body === 'string' ? body.replace(/\r\n?/g, '\n').trim() : '';
}

export function messageTextError(text: string): MessageError | undefined {
  if (text === '') return { field: 'body', code: 'messageEmpty' };
  // Characters as people count them (an emoji is one), like the textarea's maxlength.
  if ([...text].length > MESSAGE_MAX_LENGTH) return { field: 'body', code: 'messageTooLong' };
  return undefined;
}

/** The link with `lang=en` in its query, before any `#fragment`. */
export function englishLink(link: string): string {
  const url = new URL(link);
  url.searchParams.set('lang', 'en');
  return url.toString();
}

/** The mail announcing a company's message to staff: a link to the case, never the message; German, then English. */
export function newMessageMail(recipient: MessageRecipient, caseNumber: string, link: string) {
  return {
    subject: `Neue Nachricht zu Vorgang ${caseNumber} / New message on case ${caseNumber}`,
    body: [
      `Guten Tag ${recipient.name},`,
      '',
      `zum Vorgang ${caseNumber} gibt es eine neue Nachricht. Sie lesen und beantworten sie hier:`,
      link,
      '',
      '—',
      '',
      `Hello ${recipient.name},`,
      '',
      `there is a new message on case ${caseNumber}. Read and answer it here:`,
      englishLink(link),
      '',
    ].join('\n'),
  };
}

export function createCaseMessageService(deps: CaseMessageServiceDeps): CaseMessageService {
  const { messages, documents, mailer, logger } = deps;
  const now = deps.now ?? (() => new Date());

  /** The case if the reader may see it: their company's, or one the staff case page shows them. */
  async function visibleCase(reader: MessageReader, caseId: string) {
    const found = await messages.caseOf(caseId);
    if (!found) return undefined;
    if (reader.kind === 'applicant') return found.companyId === reader.companyId ? found : undefined;
    return (await deps.mayView(reader, caseId)) ? found : undefined;
  }

  /** Who hears of a company's message: the caseworkers of its open tasks, else the last staff writer. */
  async function caseworkersOf(caseId: string): Promise<MessageRecipient[]> {
    const caseworkers = await messages.caseworkersOfCase(caseId);
    if (caseworkers.length > 0) return caseworkers;
    const last = await messages.lastStaffWriter(caseId);
    return last ? [last] : [];
  }

  async function announce(message: CaseMessageRow, caseNumber: string, writerEmail: string, origin: string) {
    if (message.side === 'staff') {
      await deps.notifyCompany(message.caseId, [{ kind: 'message', eventKey: `message:${message.id}` }]);
      return;
    }
    const base = (deps.publicUrl ?? origin).replace(/\/$/, '');
    const link = `${base}/staff/cases/${message.caseId}#messages`;
    const recipients = (await caseworkersOf(message.caseId)).filter((recipient) => recipient.email !== writerEmail);
    for (const recipient of recipients) {
      try {
        await mailer.send({
          idempotencyKey: `message:${message.id}:${recipient.email}`,
          caseId: message.caseId,
          to: recipient.email,
          ...newMessageMail(recipient, caseNumber, link),
        });
      } catch (error) {
        // The message is written; a mail server that is down must not make the writer send it again.
        logger.error({ err: error, messageId: message.id }, 'the new-message mail was not delivered');
      }
    }
  }

  return {
    async open(reader, caseId) {
      const found = await visibleCase(reader, caseId);
      if (!found) return undefined;
      const side = sideOf(reader);
      const [rows, caseDocuments] = await Promise.all([messages.ofCase(caseId), documents.listForCase(caseId)]);
      const byId = new Map(caseDocuments.map((document) => [document.id, document]));
      const thread = rows.map((row): ThreadMessage => {
        const own = row.side === side;
        return {
          id: row.id,
          own,
          authorName: row.authorName,
          lines: row.body.split('\n'),
          createdAt: row.createdAt,
          readByOther: own ? row.readAt !== null : undefined,
          isNew: !own && row.readAt === null,
          attachments: row.attachmentIds.flatMap((id) => {
            const document = byId.get(id);
            return document ? [{ id: document.id, fileName: document.fileName, size: document.size }] : [];
          }),
        };
      });
      const unread = thread.filter((message) => message.isNew).length;
      if (unread > 0) await messages.markRead(caseId, side, now());
      return { caseId, caseNumber: found.number, messages: thread, unread, maxLength: MESSAGE_MAX_LENGTH };
    },

    async write(writer, caseId, input, uploads, origin) {
      const found = await visibleCase(writer, caseId);
      if (!found) return undefined;
      // The same form again (a double click, a retry): the first send's message, nothing new.
      const sent = await messages.bySubmissionToken(input.token);
      if (sent) return sent.caseId === caseId ? { ok: true, caseId } : undefined;
      const body = messageText(input.body);
      const textError = messageTextError(body);
      const files = uploads.files.filter((file) => file.field === ATTACHMENT_FIELD);
      const errors: MessageError[] = textError ? [textError] : [];
      if (uploads.overfull.has(ATTACHMENT_FIELD) || files.length > MAX_FILES_PER_FIELD) {
        errors.push({ field: 'attachments', code: 'tooManyFiles' });
      }
      // Files are checked only for a message that can be sent: a refused text keeps no stray uploads.
      if (errors.length > 0) return { ok: false, body, errors };
      const author = actorOf(writer);
      const attachmentIds: string[] = [];
      for (const file of files) {
        const stored = await documents.store(
          file,
          { companyId: found.companyId, fieldKey: MESSAGE_FIELD_KEY, uploadedBy: author },
          undefined,
        );
        if (stored.ok) attachmentIds.push(stored.document.id);
        else {
          errors.push({ field: 'attachments', code: stored.problem.code });
          break;
        }
      }
      // Stored files of a refused message belong to nothing and go with the next clean-up.
      if (errors.length > 0) return { ok: false, body, errors };
      const { message, created } = await messages.add({
        caseId,
        side: sideOf(writer),
        author,
        authorName: writer.kind === 'applicant' ? `${writer.name} (${writer.companyName})` : writer.name,
        body,
        submissionToken: input.token,
        attachmentIds,
      });
      if (created) await announce(message, found.number, writer.email, origin);
      return { ok: true, caseId };
    },

    unreadForCompany: (companyId) => messages.unreadForCompany(companyId),
  };
}
