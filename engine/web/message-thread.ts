/**
 * A case's message thread as the partials `message-list.hbs` and `message-form.hbs` show it, on the company's
 * case page (portal) and the staff's (admin): the same thread, seen from either side.
 */
import type { MessageError, Thread } from '../services/case-message.service.js';
import { translate, type Locale } from './i18n.js';

export interface ThreadFormState {
  /** The form's submission token: kept after a refused send, so sending again makes one message. */
  token: string;
  /** The text as typed, shown again after a refused send. */
  value?: string;
  errors?: MessageError[];
  /** Just sent: say so. */
  sent?: boolean;
}

const sizeFormats: Record<Locale, Intl.NumberFormat> = {
  de: new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }),
};

function sizeText(bytes: number, locale: Locale): string {
  if (bytes >= 1024 * 1024) return `${sizeFormats[locale].format(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${sizeFormats[locale].format(bytes / 1024)} KB`;
  return `${bytes} B`;
}

const FIELD_IDS: Record<MessageError['field'], string> = { body: 'message-body', attachments: 'message-attachments' };

export function messageThreadView(thread: Thread, reader: 'company' | 'staff', locale: Locale, state: ThreadFormState) {
  const t = (key: string, values: Record<string, string | number> = {}) =>
    translate(locale, key).replace(/\{(\w+)\}/g, (placeholder, name: string) =>
      Object.hasOwn(values, name) ? String(values[name]) : placeholder,
    );
  const base = reader === 'company' ? `/cases/${thread.caseId}` : `/staff/cases/${thread.caseId}`;
  const errors = state.errors ?? [];
  const errorOf = (field: MessageError['field']) => {
    const error = errors.find((candidate) => candidate.field === field);
    return error && t(`messages.error.${error.code}`);
  };
  return {
    action: `${base}/messages`,
    caseHref: base,
    token: state.token,
    value: state.value ?? '',
    sent: state.sent === true,
    maxLength: thread.maxLength,
    unreadText: thread.unread > 0 ? t('messages.unread', { count: thread.unread }) : undefined,
    items: thread.messages.map((message) => ({
      ...message,
      // The company sees who at the agency wrote; the agency sees the person and their company.
      heading: t('messages.wrote', {
        author:
          reader === 'company' && !message.own ? `${message.authorName} (${t('messages.agency')})` : message.authorName,
      }),
      readText:
        message.readByOther === undefined ? undefined : t(message.readByOther ? 'messages.read' : 'messages.notRead'),
      attachments: message.attachments.map((document) => ({
        href: `${base}/documents/${document.id}`,
        fileName: document.fileName,
        sizeText: sizeText(document.size, locale),
      })),
    })),
    errors: errors.map((error) => ({ href: `#${FIELD_IDS[error.field]}`, text: t(`messages.error.${error.code}`) })),
    bodyError: errorOf('body'),
    attachmentsError: errorOf('attachments'),
  };
}
