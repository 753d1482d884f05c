import PDFDocument from 'pdfkit';

export interface Letter {
  /** Sender line above the address block (DIN 5008 style). */
  sender: string;
  recipient: string[];
  /** Right-hand reference block: label → value (Vorgangsnummer, Datum, …). */
  references: [string, string][];
  subject: string;
  /** Paragraphs of plain text; blank lines separate paragraphs. */
  body: string;
  closing: string[];
  /** Written into the PDF's metadata. */
  title: string;
}

/** The agency's return address on its letters (DIN 5008 sender line). */
export const AGENCY_SENDER = 'Wirtschaftsförderung · Kreishaus · 12345 Musterstadt';

const MM = 72 / 25.4;

/** Renders a one- or multi-page A4 letter as PDF (PDF/A is a later step). */
export function renderLetterPdf(letter: Letter): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 27 * MM, bottom: 25 * MM, left: 25 * MM, right: 20 * MM },
    info: { Title: letter.title, Author: 'Wirtschaftsförderung', Creator: 'Lotse' },
    lang: 'de-DE',
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = 25 * MM;
  const width = doc.page.width - left - 20 * MM;
  doc
    .font('Helvetica-Bold')
    .fontSize(14)
    .fillColor('#004b87')
    .text('Wirtschaftsförderung', left, 15 * MM);
  doc.fillColor('black');
  // Address field of a DIN 5008 window envelope.
  doc
    .font('Helvetica')
    .fontSize(7)
    .text(letter.sender, left, 45 * MM, { width: 85 * MM });
  doc.fontSize(11).text(letter.recipient.join('\n'), left, 50 * MM, { width: 85 * MM });
  doc.fontSize(9);
  let y = 50 * MM;
  for (const [label, value] of letter.references) {
    doc.font('Helvetica').text(`${label}:`, 125 * MM, y, { width: 30 * MM });
    doc.font('Helvetica-Bold').text(value, 155 * MM, y, { width: 40 * MM });
    y += 5 * MM;
  }
  doc
    .font('Helvetica-Bold')
    .fontSize(11)
    .text(letter.subject, left, 98 * MM, { width });
  doc.moveDown(1.2).font('Helvetica').fontSize(11);
  for (const paragraph of letter.body.split(/\n\s*\n/)) {
    doc.text(paragraph.trim(), { width, align: 'left', lineGap: 2 });
    doc.moveDown(0.8);
  }
  doc.moveDown(0.5).text(letter.closing.join('\n'), { width });
  doc.end();
  return done;
}
