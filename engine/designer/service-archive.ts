/**
 * A service as a zip: export and import of `ServiceFiles`. The zip holds the files flat, as in a catalog
 * folder; a zip made from the folder itself (every entry under one top folder, as "compress folder" makes it)
 * is accepted too. Limits keep an upload from exhausting memory: entries, sizes (declared and actual), names,
 * UTF-8 text only.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { isValidFileName, SERVICE_FILE_LIMITS, type DesignProblem, type ServiceFiles } from './service-files.js';

/** Fixed time of every entry: exporting the same files twice gives the same bytes. */
const ENTRY_TIME = new Date(Date.UTC(2000, 0, 1));

export function filesToZip(files: ServiceFiles): Buffer {
  const entries: Zippable = {};
  for (const name of Object.keys(files).sort()) {
    entries[name] = [new TextEncoder().encode(files[name]), { mtime: ENTRY_TIME }];
  }
  return Buffer.from(zipSync(entries, { level: 6 }));
}

export type ArchiveResult = { ok: true; files: ServiceFiles } | { ok: false; problems: DesignProblem[] };

const problem = (file: string, message: string, messageEn: string): DesignProblem => ({
  severity: 'error',
  file,
  message,
  messageEn,
  source: 'manifest',
});

/** The files of a zip, or the reasons it is refused (each names the entry). */
export function zipToFiles(zip: Uint8Array): ArchiveResult {
  const problems: DesignProblem[] = [];
  let entries: Record<string, Uint8Array>;
  let declaredTotal = 0;
  let count = 0;
  const tooLarge: string[] = [];
  try {
    entries = unzipSync(zip, {
      // Checked before anything is inflated: a zip bomb is refused by what it declares.
      filter(file) {
        if (file.name.endsWith('/')) return false;
        count++;
        declaredTotal += file.originalSize;
        if (file.originalSize > SERVICE_FILE_LIMITS.maxFileBytes) tooLarge.push(file.name);
        return (
          count <= SERVICE_FILE_LIMITS.maxFiles &&
          file.originalSize <= SERVICE_FILE_LIMITS.maxFileBytes &&
          declaredTotal <= SERVICE_FILE_LIMITS.maxTotalBytes
        );
      },
    });
  } catch (error) {
    return {
      ok: false,
      problems: [
        problem(
          '',
          `Die Datei ist kein lesbares ZIP-Archiv (${(error as Error).message})`,
          'The file is not a readable zip archive',
        ),
      ],
    };
  }
  if (count > SERVICE_FILE_LIMITS.maxFiles) {
    problems.push(
      problem(
        '',
        `Das Archiv enthält ${count} Dateien, höchstens ${SERVICE_FILE_LIMITS.maxFiles} sind erlaubt`,
        `The archive holds ${count} files, at most ${SERVICE_FILE_LIMITS.maxFiles} are allowed`,
      ),
    );
  }
  if (declaredTotal > SERVICE_FILE_LIMITS.maxTotalBytes) {
    problems.push(
      problem(
        '',
        'Die Dateien im Archiv sind zusammen größer als 10 MB',
        'The files in the archive exceed 10 MB together',
      ),
    );
  }
  const names = Object.keys(entries);
  const prefix = commonFolder(names);
  const files: ServiceFiles = {};
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const [entryName, bytes] of Object.entries(entries)) {
    const name = prefix ? entryName.slice(prefix.length) : entryName;
    if (!isValidFileName(name)) {
      problems.push(
        problem(
          entryName,
          `„${entryName}“: Ordner, „..“ und Sonderzeichen sind in Dateinamen nicht erlaubt`,
          `"${entryName}": folders, ".." and special characters are not allowed in file names`,
        ),
      );
      continue;
    }
    if (bytes.length > SERVICE_FILE_LIMITS.maxFileBytes) {
      problems.push(problem(name, `„${name}“ ist größer als 2 MB`, `"${name}" exceeds 2 MB`));
      continue;
    }
    try {
      files[name] = decoder.decode(bytes);
    } catch {
      problems.push(problem(name, `„${name}“ ist keine UTF-8-Textdatei`, `"${name}" is not a UTF-8 text file`));
    }
  }
  for (const name of tooLarge) problems.push(problem(name, `„${name}“ ist größer als 2 MB`, `"${name}" exceeds 2 MB`));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, files };
}

/** `folder/` when every entry sits directly in the same single folder, else undefined. */
function commonFolder(names: string[]): string | undefined {
  const first = names[0];
  if (!first) return undefined;
  const slash = first.indexOf('/');
  if (slash <= 0) return undefined;
  const prefix = first.slice(0, slash + 1);
  // The folder's name follows the rules of a file name: `../` or `./` is no folder to strip.
  if (!isValidFileName(prefix.slice(0, -1))) return undefined;
  return names.every((name) => name.startsWith(prefix) && !name.slice(prefix.length).includes('/'))
    ? prefix
    : undefined;
}
