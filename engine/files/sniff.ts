/**
 * What a file is, judged by its bytes (magic numbers), never by its name or the browser's word.
 * Pure: no I/O. A short list of types on purpose: what the agency accepts as case documents.
 */

export interface FileType {
  mediaType: string;
  /** File name extensions of the type, lower case with the dot; the first is the usual one. */
  extensions: readonly string[];
}

const type = (mediaType: string, ...extensions: string[]): FileType => ({ mediaType, extensions });

export const FILE_TYPES = {
  pdf: type('application/pdf', '.pdf'),
  png: type('image/png', '.png'),
  jpeg: type('image/jpeg', '.jpg', '.jpeg'),
  gif: type('image/gif', '.gif'),
  webp: type('image/webp', '.webp'),
  docx: type('application/vnd.openxmlformats-officedocument.wordprocessingml.document', '.docx'),
  xlsx: type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '.xlsx'),
  odt: type('application/vnd.oasis.opendocument.text', '.odt'),
  txt: type('text/plain', '.txt'),
  csv: type('text/csv', '.csv'),
} as const;

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/**
 * The type of the file's content, or undefined when it is none of `FILE_TYPES` (programs, archives,
 * anything unknown). Text is told apart from binary by its bytes; `.csv` in the name makes text CSV.
 */
export function sniffFileType(bytes: Uint8Array, fileName: string): FileType | undefined {
  if (startsWith(bytes, ascii('%PDF-'))) return FILE_TYPES.pdf;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return FILE_TYPES.png;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return FILE_TYPES.jpeg;
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return FILE_TYPES.gif;
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return FILE_TYPES.webp;
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return officeDocument(bytes);
  if (isText(bytes)) return extensionOf(fileName) === '.csv' ? FILE_TYPES.csv : FILE_TYPES.txt;
  return undefined;
}

/** DOCX, XLSX and ODT are ZIP files; what is inside says which. Any other ZIP is no document here. */
function officeDocument(bytes: Uint8Array): FileType | undefined {
  // ODF puts an uncompressed `mimetype` entry first, so its content sits at a fixed place.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 30) {
    const method = view.getUint16(8, true);
    const storedSize = view.getUint32(18, true);
    const nameLength = view.getUint16(26, true);
    const extraLength = view.getUint16(28, true);
    const name = latin1(bytes.subarray(30, 30 + nameLength));
    if (name === 'mimetype' && method === 0 && storedSize < 128) {
      const start = 30 + nameLength + extraLength;
      const mimetype = latin1(bytes.subarray(start, start + storedSize));
      return mimetype === FILE_TYPES.odt.mediaType ? FILE_TYPES.odt : undefined;
    }
  }
  const names = zipEntryNames(bytes, view);
  if (names.has('word/document.xml')) return FILE_TYPES.docx;
  if (names.has('xl/workbook.xml')) return FILE_TYPES.xlsx;
  return undefined;
}

/** Entry names from the ZIP central directory (found through the end-of-central-directory record). */
function zipEntryNames(bytes: Uint8Array, view: DataView): Set<string> {
  const names = new Set<string>();
  const END_OF_DIRECTORY = 0x06054b50;
  const ENTRY = 0x02014b50;
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let offset = bytes.length - 22; offset >= earliest; offset--) {
    if (view.getUint32(offset, true) === END_OF_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end < 0) return names;
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  for (let index = 0; index < count && offset + 46 <= bytes.length; index++) {
    if (view.getUint32(offset, true) !== ENTRY) break;
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    names.add(new TextDecoder().decode(bytes.subarray(offset + 46, offset + 46 + nameLength)));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 without NUL and without control characters other than tab, line breaks and form feed. */
function isText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex -- exactly the control characters are what this looks for
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot).toLowerCase() : '';
}

/**
 * Whether an HTML `accept` list (`.pdf,image/*,application/pdf`) admits the type. Without a list
 * every type of `FILE_TYPES` is admitted; nothing else ever is.
 */
export function accepts(accept: string | undefined, fileType: FileType): boolean {
  const tokens = (accept ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== '');
  if (tokens.length === 0) return true;
  return tokens.some((token) => {
    if (token.startsWith('.')) return fileType.extensions.includes(token);
    if (token.endsWith('/*')) return fileType.mediaType.startsWith(token.slice(0, -1));
    return token === fileType.mediaType;
  });
}

/** The accept list as people read it: `.pdf,.png,image/jpeg` → `PDF, PNG, JPEG`. */
export function describeAccept(accept: string | undefined): string {
  const known = Object.values(FILE_TYPES);
  const labels = (accept ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== '')
    .map((token) => {
      if (token.startsWith('.')) return token.slice(1).toUpperCase();
      const found = known.find((fileType) => fileType.mediaType === token);
      return found ? (found.extensions[0] ?? token).slice(1).toUpperCase() : token;
    });
  return [...new Set(labels)].join(', ');
}

/**
 * A file name that is safe to store and to send back: no folders, no control characters, at most
 * 150 characters, and the extension of its real type (a PDF named `plan.png` becomes `plan.png.pdf`).
 */
export function safeFileName(original: string, fileType: FileType, fallback = 'Dokument'): string {
  const base = (original.split(/[/\\]/).pop() ?? '')
    // eslint-disable-next-line no-control-regex -- control characters never belong in a file name
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  const named = base === '' || base === '.' || base === '..' ? fallback : base;
  const withType = fileType.extensions.includes(extensionOf(named)) ? named : `${named}${fileType.extensions[0] ?? ''}`;
  if ([...withType].length <= 150) return withType;
  const extension = extensionOf(withType);
  return `${[...withType.slice(0, withType.length - extension.length)].slice(0, 150 - extension.length).join('')}${extension}`;
}
