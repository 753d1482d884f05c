import { describe, expect, it } from 'vitest';
import { FILE_TYPES, accepts, describeAccept, safeFileName, sniffFileType } from './sniff.js';

/** A ZIP with stored (uncompressed) entries, enough for the sniffer to read local headers and the central directory. */
function zipOf(entries: [name: string, content: string][]): Uint8Array {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const nameBytes = Buffer.from(name);
    const data = Buffer.from(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(0, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));

describe('sniffFileType', () => {
  it.each([
    ['a PDF', bytes('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'plan.pdf', FILE_TYPES.pdf],
    ['a PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'x.png', FILE_TYPES.png],
    ['a JPEG', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'x.jpg', FILE_TYPES.jpeg],
    ['a GIF', bytes('GIF89a', [1, 0, 1, 0]), 'x.gif', FILE_TYPES.gif],
    ['a WEBP', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), 'x.webp', FILE_TYPES.webp],
    [
      'a DOCX',
      zipOf([
        ['[Content_Types].xml', '<Types/>'],
        ['word/document.xml', '<w:document/>'],
      ]),
      'antrag.docx',
      FILE_TYPES.docx,
    ],
    ['an XLSX', zipOf([['xl/workbook.xml', '<workbook/>']]), 'liste.xlsx', FILE_TYPES.xlsx],
    [
      'an ODT',
      zipOf([
        ['mimetype', 'application/vnd.oasis.opendocument.text'],
        ['content.xml', '<office/>'],
      ]),
      'brief.odt',
      FILE_TYPES.odt,
    ],
    ['UTF-8 text', Buffer.from('Grüße aus Musterstadt\r\n\tZeile 2\n', 'utf8'), 'notiz.txt', FILE_TYPES.txt],
    ['CSV (by its name, as text)', bytes('a;b\n1;2\n'), 'werte.CSV', FILE_TYPES.csv],
  ])('knows %s', (_name, content, fileName, expected) => {
    expect(sniffFileType(content, fileName)).toBe(expected);
  });

  it.each([
    ['a Windows program renamed .pdf', bytes('MZ', [0x90, 0, 3, 0, 0, 0, 4, 0]), 'plan.pdf'],
    ['an ELF binary', bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), 'plan.png'],
    ['a plain ZIP', zipOf([['plan.pdf', '%PDF-1.4']]), 'plan.docx'],
    ['an ODF spreadsheet', zipOf([['mimetype', 'application/vnd.oasis.opendocument.spreadsheet']]), 'x.odt'],
    ['binary with NUL bytes', bytes('abc', [0, 1, 2]), 'x.txt'],
    ['Latin-1 (not UTF-8) bytes', bytes([0x47, 0x72, 0xfc, 0xdf, 0x65]), 'x.txt'],
    ['an empty file', bytes(''), 'x.txt'],
    ['a truncated ZIP', bytes([0x50, 0x4b, 0x03, 0x04, 1]), 'x.docx'],
  ])('rejects %s', (_name, content, fileName) => {
    expect(sniffFileType(content, fileName)).toBeUndefined();
  });
});

describe('accepts', () => {
  it.each([
    ['.pdf,.png,.jpg', FILE_TYPES.pdf, true],
    ['.pdf,.png,.jpg', FILE_TYPES.jpeg, true],
    ['.pdf, .png , .JPEG', FILE_TYPES.jpeg, true],
    ['.pdf,.png,.jpg', FILE_TYPES.gif, false],
    ['image/*', FILE_TYPES.webp, true],
    ['image/*', FILE_TYPES.pdf, false],
    ['application/pdf', FILE_TYPES.pdf, true],
    ['.txt', FILE_TYPES.csv, false],
    [undefined, FILE_TYPES.docx, true],
    ['', FILE_TYPES.txt, true],
  ])('accept "%s" admits %o: %s', (accept, fileType, expected) => {
    expect(accepts(accept, fileType)).toBe(expected);
  });

  it('describes the list for people', () => {
    expect(describeAccept('.pdf,.png,.jpg,image/jpeg')).toBe('PDF, PNG, JPG');
  });
});

describe('safeFileName', () => {
  it.each([
    ['Lageplan.pdf', FILE_TYPES.pdf, 'Lageplan.pdf'],
    ['C:\\Users\\anna\\Lageplan.PDF', FILE_TYPES.pdf, 'Lageplan.PDF'],
    ['../../etc/passwd', FILE_TYPES.txt, 'passwd.txt'],
    ['plan.png', FILE_TYPES.pdf, 'plan.png.pdf'],
    ['bad\r\nname.pdf', FILE_TYPES.pdf, 'badname.pdf'],
    ['', FILE_TYPES.jpeg, 'Dokument.jpg'],
    ['..', FILE_TYPES.pdf, 'Dokument.pdf'],
  ])('%j becomes %j', (original, fileType, expected) => {
    expect(safeFileName(original, fileType)).toBe(expected);
  });

  it('shortens long names and keeps the extension', () => {
    const name = safeFileName(`${'ä'.repeat(300)}.pdf`, FILE_TYPES.pdf);
    expect([...name]).toHaveLength(150);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});
