import { describe, expect, it } from 'vitest';
import { renderLetterPdf } from './letter-pdf.js';

describe('renderLetterPdf', () => {
  it('renders a PDF whose metadata carries the title', async () => {
    const pdf = await renderLetterPdf({
      language: 'de',
      title: 'Bescheid WF-2026-000001',
      sender: 'Wirtschaftsförderung · Kreishaus · 12345 Musterstadt',
      recipient: ['Schmidt Metallbau GmbH', 'Industriestraße 7', '12345 Musterstadt'],
      references: [
        ['Vorgang', 'WF-2026-000001'],
        ['Datum', '26.11.2026'],
      ],
      subject: 'Ihr Antrag auf Genehmigung – Entscheidung',
      body: 'Sehr geehrte Damen und Herren,\n\nIhr Vorhaben „Hallenerweiterung“ ist genehmigungsfähig.\n\nMit freundlichen Grüßen',
      closing: ['Jonas Weber', 'Wirtschaftsförderung'],
    });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const raw = pdf.toString('latin1');
    expect(raw).toContain('/Title');
    // Tagged, in German, and no font left to the reader's machine (ADR 0032; veraPDF checks the rest in
    // test/integration/accessible-documents.int.test.ts).
    expect(raw).toMatch(/\/Lang \(de-DE\)/);
    expect(raw).toMatch(/\/Marked true/);
    expect(raw).toContain('/FontFile2');
    expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
    expect(pdf.length).toBeGreaterThan(1000);
  });
});
