import type { Locale } from '../engine/web/i18n.js';

interface ReceiptCase {
  number: string;
  subject: string | null;
  serviceTitleDe: string;
  serviceTitleEn: string;
  companyName: string;
  createdAt: Date;
}

/** Eingangsbestätigung as plain text (a PDF receipt comes with the document activity). */
export function receiptText(found: ReceiptCase, locale: Locale): string {
  const date = new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Berlin',
  }).format(found.createdAt);
  const lines =
    locale === 'de'
      ? [
          'Eingangsbestätigung',
          '',
          `Vorgangsnummer: ${found.number}`,
          `Leistung: ${found.serviceTitleDe}`,
          `Betreff: ${found.subject ?? ''}`,
          `Unternehmen: ${found.companyName}`,
          `Eingegangen am: ${date}`,
          '',
          'Ihre Wirtschaftsförderung',
        ]
      : [
          'Receipt',
          '',
          `Case number: ${found.number}`,
          `Service: ${found.serviceTitleEn}`,
          `Subject: ${found.subject ?? ''}`,
          `Company: ${found.companyName}`,
          `Received on: ${date}`,
          '',
          'Your economic development agency',
        ];
  return `${lines.join('\n')}\n`;
}
