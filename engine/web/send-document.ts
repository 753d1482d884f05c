import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { Readable } from 'node:stream';

/**
 * Sends a stored document as a download: always an attachment, with the media type sniffed at upload
 * (never one guessed from the name), and `nosniff` so no browser renders it as something else.
 */
export async function sendDocument(
  res: Response,
  found: { document: { fileName: string; mediaType: string; size: number }; content: Readable },
): Promise<void> {
  res.attachment(found.document.fileName);
  res.set({
    'Content-Type': found.document.mediaType,
    'Content-Length': String(found.document.size),
    'X-Content-Type-Options': 'nosniff',
    // Should a browser ever display it anyway: no scripts, no plugins, no same-origin access.
    'Content-Security-Policy': "default-src 'none'; sandbox",
  });
  await pipeline(found.content, res);
}
