import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { Readable } from 'node:stream';

/**
 * What a browser may show inline, by the media type sniffed at upload: PDFs in its viewer and raster
 * images. Never SVG, HTML, text or office files: those stay attachments (SVG and HTML could run script).
 */
const PREVIEWS: Readonly<Record<string, 'pdf' | 'image'>> = {
  'application/pdf': 'pdf',
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/gif': 'image',
  'image/webp': 'image',
};

/** How a document can be previewed on a page (`<iframe>` for a PDF, `<img>` for an image), if at all. */
export function previewKindOf(mediaType: string): 'pdf' | 'image' | undefined {
  return Object.hasOwn(PREVIEWS, mediaType) ? PREVIEWS[mediaType] : undefined;
}

/**
 * Sends a stored document, with the media type sniffed at upload (never one guessed from the name) and
 * `nosniff` so no browser renders it as something else. An attachment, unless `inline` is asked for a
 * type `previewKindOf` allows: then the browser shows it in place (the case page's preview).
 */
export async function sendDocument(
  res: Response,
  found: { document: { fileName: string; mediaType: string; size: number }; content: Readable },
  options: { inline?: boolean } = {},
): Promise<void> {
  const preview = options.inline ? previewKindOf(found.document.mediaType) : undefined;
  res.attachment(found.document.fileName);
  if (preview) {
    // Express writes the encoded file name only for `attachment`; the same header with `inline` keeps it.
    res.set('Content-Disposition', res.get('Content-Disposition')?.replace(/^attachment/, 'inline'));
  }
  res.set({
    'Content-Type': found.document.mediaType,
    'Content-Length': String(found.document.size),
    'X-Content-Type-Options': 'nosniff',
    // Shown inline or not: no scripts, no plugins, no same-origin access. (Chromium's PDF viewer still shows a
    // PDF under `sandbox`: tried in the case page's preview.)
    'Content-Security-Policy': "default-src 'none'; sandbox",
  });
  await pipeline(found.content, res);
}
