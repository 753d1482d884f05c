import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request, RequestHandler } from 'express';

/** A file as it arrived: in a temporary file of our own naming, hashed on the way in. */
export interface UploadedFile {
  /** The form field (component key) it was sent in. */
  field: string;
  /** As the browser named it; metadata only, never a path. */
  fileName: string;
  tempPath: string;
  size: number;
  sha256: string;
  /** Larger than the limit (`maxFileBytes + 1` bytes or more): only the first bytes were kept; refuse it. */
  tooLarge: boolean;
}

export interface Uploads {
  files: UploadedFile[];
  /** Fields that were sent more files than allowed; the extra files were dropped unread. */
  overfull: Set<string>;
}

export interface MultipartOptions {
  /** Temporary files go here; best on the same file system as the blob store (a rename, not a copy). */
  tempDir: string;
  maxFileBytes: number;
  maxFilesPerField: number;
  /** Only requests this admits are parsed (e.g. a logged-in applicant); the others keep no body and fail CSRF. */
  admit: (req: Request) => boolean;
}

const received = new WeakMap<Request, Uploads>();

/** The files of a multipart request that `multipartForms` parsed; none for any other request. */
export function uploadsOf(req: Request): Uploads {
  return received.get(req) ?? { files: [], overfull: new Set() };
}

/** A multipart body the client got wrong (no boundary, broken parts, too many fields): answered 400, never 500. */
export class BadMultipartError extends Error {
  override name = 'BadMultipartError';
}

class MultipartLimitError extends BadMultipartError {
  override name = 'MultipartLimitError';
}

const badMultipart = (error: unknown) =>
  error instanceof BadMultipartError
    ? error
    : new BadMultipartError(error instanceof Error ? error.message : 'malformed multipart body');

/**
 * Parses `multipart/form-data` like `express.urlencoded` parses forms: fields into `req.body`
 * (repeated names become arrays), files into temporary files (see `uploadsOf`). It has to run
 * before the CSRF check, which reads `_csrf` from the body. Temporary files are removed when the
 * response is done; whoever keeps a file moves it away first.
 */
export function multipartForms(options: MultipartOptions): RequestHandler {
  mkdirSync(options.tempDir, { recursive: true });
  removeStaleUploads(options.tempDir);
  return (req, res, next) => {
    if (!req.is('multipart/form-data') || !options.admit(req)) return next();
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers send file names as raw UTF-8.
        defParamCharset: 'utf8',
        limits: {
          // busboy calls a file truncated as soon as it reaches `fileSize` bytes, even when nothing follows:
          // one byte of headroom lets a file of exactly the limit through; `limit` then means "larger".
          fileSize: options.maxFileBytes + 1,
          files: options.maxFilesPerField * 5,
          fields: 500,
          fieldSize: 200 * 1024,
          parts: 500 + options.maxFilesPerField * 5,
        },
      });
    } catch (error) {
      // busboy refuses a content type without a boundary here.
      return next(badMultipart(error));
    }

    const fields = new Map<string, string | string[]>();
    const uploads: Uploads = { files: [], overfull: new Set() };
    const perField = new Map<string, number>();
    const writes: Promise<void>[] = [];
    let done = false;
    res.on('close', () => {
      for (const file of uploads.files) unlink(file.tempPath).catch(() => {});
    });
    const fail = (error: unknown) => {
      if (done) return;
      done = true;
      req.unpipe(parser);
      req.resume();
      next(error);
    };

    parser.on('field', (name, value) => {
      const previous = fields.get(name);
      fields.set(name, previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value]);
    });
    parser.on('file', (field, stream, info) => {
      // An empty file input is sent as a part without a file name.
      if (!info.filename) {
        stream.resume();
        return;
      }
      const count = (perField.get(field) ?? 0) + 1;
      perField.set(field, count);
      if (count > options.maxFilesPerField) {
        uploads.overfull.add(field);
        stream.resume();
        return;
      }
      const file: UploadedFile = {
        field,
        fileName: info.filename,
        tempPath: path.join(options.tempDir, `${randomUUID()}.upload`),
        size: 0,
        sha256: '',
        tooLarge: false,
      };
      uploads.files.push(file);
      const hash = createHash('sha256');
      stream.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        file.size += chunk.length;
      });
      stream.on('limit', () => {
        file.tooLarge = true;
      });
      writes.push(
        pipeline(stream, createWriteStream(file.tempPath, { mode: 0o600 })).then(() => {
          file.sha256 = hash.digest('hex');
        }),
      );
    });
    parser.on('filesLimit', () => {
      for (const field of perField.keys()) uploads.overfull.add(field);
    });
    parser.on('fieldsLimit', () => fail(new MultipartLimitError('too many form fields')));
    parser.on('partsLimit', () => fail(new MultipartLimitError('too many form parts')));
    parser.on('error', (error) => fail(badMultipart(error)));
    parser.on('close', () => {
      Promise.all(writes).then(() => {
        if (done) return;
        done = true;
        req.body = Object.fromEntries(fields);
        received.set(req, uploads);
        next();
      }, fail);
    });
    req.pipe(parser);
  };
}

/** Temporary files a crashed process left behind (an hour old: no request takes that long). */
function removeStaleUploads(tempDir: string) {
  const before = Date.now() - 60 * 60 * 1000;
  for (const name of readdirSync(tempDir)) {
    const file = path.join(tempDir, name);
    try {
      if (name.endsWith('.upload') && statSync(file).mtimeMs < before) unlinkSync(file);
    } catch {
      // Gone meanwhile, or not ours to remove: either way nothing to do.
    }
  }
}
