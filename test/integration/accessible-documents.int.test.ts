import { describe, expect, it } from 'vitest';
import { renderLetterPdf, type Letter } from '../../engine/documents/letter-pdf.js';
import { receiptLetter, type ReceiptCase } from '../../engine/documents/receipt.js';
import { expectAccessiblePdf, readPdf, validatePdfUa } from '../pdf-accessibility.js';

const RECEIVED: ReceiptCase = {
  number: 'WF-2026-000042',
  subject: 'Hallenerweiterung Nord',
  serviceTitleDe: 'Allgemeine Anfrage',
  serviceTitleEn: 'General inquiry',
  companyName: 'Schmidt Metallbau GmbH',
  createdAt: new Date('2026-11-26T09:30:00Z'),
};

const DECISION: Record<'de' | 'en', Letter> = {
  de: {
    language: 'de',
    title: 'Bescheid WF-2026-000042',
    sender: 'Wirtschaftsförderung · Kreishaus · 12345 Musterstadt',
    recipient: ['Schmidt Metallbau GmbH', 'Industriestraße 7', '12345 Musterstadt'],
    references: [
      ['Vorgang', 'WF-2026-000042'],
      ['Datum', '26.11.2026'],
    ],
    subject: 'Ihr Antrag auf Genehmigung – Entscheidung',
    body: 'Sehr geehrte Damen und Herren,\n\nIhr Vorhaben „Hallenerweiterung“ ist genehmigungsfähig.',
    closing: ['Mit freundlichen Grüßen', 'Jonas Weber'],
  },
  en: {
    language: 'en',
    title: 'Decision WF-2026-000042',
    sender: 'Economic development agency · Kreishaus · 12345 Musterstadt',
    recipient: ['Schmidt Metallbau GmbH', 'Industriestraße 7', '12345 Musterstadt'],
    references: [
      ['Case', 'WF-2026-000042'],
      ['Date', '26 Nov 2026'],
    ],
    subject: 'Your permit application – decision',
    body: 'Dear Sir or Madam,\n\nyour project “hall extension” can be permitted.',
    closing: ['Kind regards', 'Jonas Weber'],
  },
};

describe('generated documents are PDF/UA-1 (veraPDF) and read in the letter’s order', () => {
  it.each([
    ['de', 'de-DE', 'Eingangsbestätigung WF-2026-000042', 'Eingangsbestätigung: Allgemeine Anfrage'],
    ['en', 'en-GB', 'Receipt WF-2026-000042', 'Receipt: General inquiry'],
  ] as const)('the receipt in %s', async (locale, lang, title, heading) => {
    const reading = await expectAccessiblePdf(await renderLetterPdf(receiptLetter(RECEIVED, locale)), {
      lang,
      title,
      headings: [heading],
    });
    const order = reading.blocks.filter((block) => block.depth === 1).map((block) => block.role);
    // Letterhead, sender line, recipient, reference list, subject, paragraphs, closing.
    expect(order).toEqual(['P', 'P', 'P', 'L', 'H1', 'P', 'P', 'P', 'P']);
    const labels = reading.blocks.filter((block) => block.role === 'LI').map((block) => block.text);
    expect(labels[0]).toBe(locale === 'de' ? 'Vorgang: WF-2026-000042' : 'Case: WF-2026-000042');
    const text = reading.blocks.map((block) => block.text).join('\n');
    // Each language's own quotation marks, never the other's.
    if (locale === 'de') {
      expect(text).toContain('„Hallenerweiterung Nord“');
      expect(text).not.toContain('“Hallenerweiterung');
    } else {
      expect(text).toContain('“Hallenerweiterung Nord”');
      expect(text).not.toContain('„');
    }
  });

  it.each([
    ['de', 'de-DE'],
    ['en', 'en-GB'],
  ] as const)('a decision letter in %s', async (language, lang) => {
    const letter = DECISION[language];
    await expectAccessiblePdf(await renderLetterPdf(letter), { lang, title: letter.title, headings: [letter.subject] });
  });

  it('a letter over several pages keeps its reading order and numbers its pages as artifacts', async () => {
    const paragraphs = Array.from(
      { length: 40 },
      (_, index) => `Absatz ${index + 1}: ${'Text des Bescheids. '.repeat(12)}`,
    );
    const pdf = await renderLetterPdf({ ...DECISION.de, body: paragraphs.join('\n\n') });
    const reading = await expectAccessiblePdf(pdf, {
      lang: 'de-DE',
      title: DECISION.de.title,
      headings: [DECISION.de.subject],
    });
    const body = reading.blocks
      .filter((block) => block.text.startsWith('Absatz '))
      .map((block) => block.text.split(':')[0]);
    expect(body).toEqual(paragraphs.map((_, index) => `Absatz ${index + 1}`));
    // "Seite 1 von 2" is decoration: no structure element carries it.
    expect(reading.blocks.some((block) => block.text.includes('Seite 1 von'))).toBe(false);
  });

  it('the validator fails a PDF that is not tagged (so the checks above can fail)', async () => {
    const { default: PDFDocument } = await import('pdfkit');
    const untagged = await new Promise<Buffer>((resolve) => {
      const doc = new PDFDocument();
      const chunks: Buffer[] = [];
      doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.text('Nicht ausgezeichnet');
      doc.end();
    });
    const verdict = await validatePdfUa(untagged);
    expect(verdict.compliant).toBe(false);
    expect(verdict.failedRules.length).toBeGreaterThan(0);
    expect((await readPdf(untagged)).marked).toBe(false);
  });
});
