import { AGENCY_SENDER, type Letter } from './letter-pdf.js';

export interface ReceiptCase {
  number: string;
  subject: string | null;
  serviceTitleDe: string;
  serviceTitleEn: string;
  companyName: string;
  createdAt: Date;
}

/** The Eingangsbestätigung of a case, in the page's language. Pure. */
export function receiptLetter(found: ReceiptCase, locale: 'de' | 'en'): Letter {
  const format = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { ...options, timeZone: 'Europe/Berlin' }).format(
      found.createdAt,
    );
  const received = format({ dateStyle: 'long', timeStyle: 'short' });
  // Typographic quotes of the letter's language: „…“ in German, “…” in English.
  const quoted = (text: string) => (locale === 'de' ? `„${text}“` : `“${text}”`);
  const subject = found.subject ? ` ${quoted(found.subject)}` : '';
  return locale === 'de'
    ? {
        language: 'de',
        title: `Eingangsbestätigung ${found.number}`,
        sender: AGENCY_SENDER,
        recipient: [found.companyName],
        references: [
          ['Vorgang', found.number],
          ['Datum', format({ dateStyle: 'medium' })],
        ],
        subject: `Eingangsbestätigung: ${found.serviceTitleDe}`,
        body: [
          'Sehr geehrte Damen und Herren,',
          `wir bestätigen den Eingang Ihres Anliegens${subject} am ${received}.`,
          `Ihre Vorgangsnummer lautet ${found.number}. Bitte geben Sie sie bei Rückfragen an. Den Stand Ihres Vorgangs sehen Sie jederzeit im Unternehmensservice unter ${quoted('Meine Vorgänge')}.`,
        ].join('\n\n'),
        closing: ['Mit freundlichen Grüßen', 'Ihre Wirtschaftsförderung'],
      }
    : {
        language: 'en',
        title: `Receipt ${found.number}`,
        sender: AGENCY_SENDER,
        recipient: [found.companyName],
        references: [
          ['Case', found.number],
          ['Date', format({ dateStyle: 'medium' })],
        ],
        subject: `Receipt: ${found.serviceTitleEn}`,
        body: [
          'Dear Sir or Madam,',
          `we confirm that we received your request${subject} on ${received}.`,
          `Your case number is ${found.number}. Please quote it in any enquiry. You can follow your case at any time under ${quoted('My cases')} in the business service portal.`,
        ].join('\n\n'),
        closing: ['Kind regards', 'Your economic development agency'],
      };
}
