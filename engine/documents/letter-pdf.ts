import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { sfntOfWoff } from './woff.js';

export type DocumentLanguage = 'de' | 'en';

export interface Letter {
  /** The language the letter is written in: the PDF's /Lang, its page numbers and nothing else. */
  language: DocumentLanguage;
  /** Sender line above the address block (DIN 5008 style). */
  sender: string;
  recipient: string[];
  /** Right-hand reference block: label → value (Vorgangsnummer, Datum, …). */
  references: [string, string][];
  subject: string;
  /** Paragraphs of plain text; blank lines separate paragraphs. */
  body: string;
  closing: string[];
  /** Written into the PDF's metadata and shown by readers instead of the file name. */
  title: string;
}

/** The agency's return address on its letters (DIN 5008 sender line). */
export const AGENCY_SENDER = 'Wirtschaftsförderung · Kreishaus · 12345 Musterstadt';

/** BCP 47 tags for the PDF's /Lang: screen readers pick their voice by it. */
const PDF_LANGUAGE: Record<DocumentLanguage, string> = { de: 'de-DE', en: 'en-GB' };
const PAGE_OF: Record<DocumentLanguage, (page: number, pages: number) => string> = {
  de: (page, pages) => `Seite ${page} von ${pages}`,
  en: (page, pages) => `Page ${page} of ${pages}`,
};

const PDF_UA_IDENTIFICATION = `
        <rdf:Description xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" rdf:about="">
            <pdfuaid:part>1</pdfuaid:part>
        </rdf:Description>`;

const MM = 72 / 25.4;
const LEFT = 25 * MM;
const RIGHT = 20 * MM;
const BOTTOM = 25 * MM;

/**
 * PDF/UA needs every font embedded; pdfkit's standard 14 fonts are not. DejaVu Sans comes with `npm ci`
 * (@fontsource/dejavu-sans, the whole font despite the file name "latin": Latin, Greek, Cyrillic, „“ and €).
 * The package exports only its CSS and LICENSE, so the font files are found next to the LICENSE. Read once,
 * when this module loads.
 */
const FONT_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@fontsource/dejavu-sans/LICENSE')),
  'files',
);
const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';
const FONTS = {
  [REGULAR]: sfntOfWoff(readFileSync(path.join(FONT_DIR, 'dejavu-sans-latin-400-normal.woff'))),
  [BOLD]: sfntOfWoff(readFileSync(path.join(FONT_DIR, 'dejavu-sans-latin-700-normal.woff'))),
};

/**
 * Renders a one- or multi-page A4 letter as a tagged PDF (PDF/UA-1, ADR 0032): the structure tree is the
 * reading order (letterhead, sender, recipient, reference list, subject as H1, paragraphs, closing); the fold
 * mark and page numbers are artifacts; all text in the embedded DejaVu Sans.
 */
export function renderLetterPdf(letter: Letter): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 27 * MM, bottom: BOTTOM, left: LEFT, right: RIGHT },
    info: { Title: letter.title, Author: 'Wirtschaftsförderung', Creator: 'Lotse' },
    pdfVersion: '1.7',
    tagged: true,
    lang: PDF_LANGUAGE[letter.language],
    displayTitle: true,
    // Page numbers ("Seite 1 von 2") need the page count, known only at the end.
    bufferPages: true,
  });
  // The PDF/UA-1 identification in the XMP metadata. Not through pdfkit's `subset: 'PDF/UA'`: that also
  // writes PDF/A-1's CIDSet, which misses the glyphs a subset font draws from (ö from o and ¨) and so fails
  // PDF/UA's rule 7.21.4.2-2 (veraPDF).
  doc.appendXML(PDF_UA_IDENTIFICATION);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(REGULAR, FONTS[REGULAR]);
  doc.registerFont(BOLD, FONTS[BOLD]);

  const root = doc.struct('Document');
  doc.addStructure(root);
  const block = (type: string, draw: () => void) => {
    const element = doc.struct(type, {}, draw);
    root.add(element);
    element.end();
  };
  const width = doc.page.width - LEFT - RIGHT;

  block('P', () =>
    doc
      .font(BOLD)
      .fontSize(14)
      .fillColor('#004b87')
      .text('Wirtschaftsförderung', LEFT, 15 * MM),
  );
  doc.fillColor('black');
  // Address field of a DIN 5008 window envelope.
  block('P', () =>
    doc
      .font(REGULAR)
      .fontSize(7)
      .text(letter.sender, LEFT, 45 * MM, { width: 85 * MM }),
  );
  block('P', () =>
    doc
      .font(REGULAR)
      .fontSize(11)
      .text(letter.recipient.join('\n'), LEFT, 50 * MM, { width: 85 * MM }),
  );
  // The reference block is a list of label/value pairs: a reader announces "Vorgang: WF-…" as one item.
  const references = doc.struct('L');
  root.add(references);
  let y = 50 * MM;
  for (const [label, value] of letter.references) {
    const item = doc.struct('LI');
    references.add(item);
    const labelElement = doc.struct('Lbl', {}, () =>
      doc
        .font(REGULAR)
        .fontSize(9)
        .text(`${label}:`, 125 * MM, y, { width: 30 * MM }),
    );
    const valueElement = doc.struct('LBody', {}, () =>
      doc
        .font(BOLD)
        .fontSize(9)
        .text(value, 155 * MM, y, { width: 40 * MM }),
    );
    item.add(labelElement);
    item.add(valueElement);
    labelElement.end();
    valueElement.end();
    item.end();
    y += 5 * MM;
  }
  references.end();

  block('H1', () =>
    doc
      .font(BOLD)
      .fontSize(11)
      .text(letter.subject, LEFT, 98 * MM, { width }),
  );
  doc.moveDown(1.2).font(REGULAR).fontSize(11);
  for (const paragraph of letter.body.split(/\n\s*\n/)) {
    const text = paragraph.trim();
    if (!text) continue;
    block('P', () => doc.text(text, { width, align: 'left', lineGap: 2 }));
    doc.moveDown(0.8);
  }
  doc.moveDown(0.5);
  block('P', () => doc.text(letter.closing.join('\n'), { width }));
  root.end();

  drawArtifacts(doc, letter.language);
  doc.end();
  return done;
}

/** Decoration a reader skips: the DIN 5008 fold mark on the first page and page numbers when there are several. */
function drawArtifacts(doc: PDFKit.PDFDocument, language: DocumentLanguage) {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    if (index === range.start) {
      doc.markContent('Artifact', { type: 'Layout' });
      doc
        .moveTo(4 * MM, 105 * MM)
        .lineTo(9 * MM, 105 * MM)
        .lineWidth(0.5)
        .strokeColor('#999999')
        .stroke();
      doc.endMarkedContent();
    }
    if (range.count > 1) {
      // Written inside the bottom margin: without lifting the margin pdfkit would start a new page.
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.markContent('Artifact', { type: 'Pagination' });
      doc
        .font(REGULAR)
        .fontSize(8)
        .fillColor('#555555')
        .text(PAGE_OF[language](index - range.start + 1, range.count), LEFT, doc.page.height - 15 * MM, {
          width: doc.page.width - LEFT - RIGHT,
          align: 'right',
        });
      doc.endMarkedContent();
      doc.page.margins.bottom = bottom;
    }
  }
}
