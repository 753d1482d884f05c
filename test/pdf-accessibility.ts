import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { VERAPDF_MAIN_CLASS, resolveVeraPdf } from '../engine/infra/verapdf.js';

/**
 * The checks every generated document gets (ADR 0032): veraPDF's PDF/UA-1 profile, and what veraPDF cannot
 * know — the language, the title and that the structure tree reads in the order the letter does.
 */

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface PdfUaVerdict {
  compliant: boolean;
  /** veraPDF's ids of the failed rules, e.g. `7.21.4.2-2` (look them up in the PDF/UA-1 rule set). */
  failedRules: string[];
}

/** Runs veraPDF (fetched into `.tools/verapdf` on first use) with the PDF/UA-1 profile. */
export async function validatePdfUa(pdf: Buffer): Promise<PdfUaVerdict> {
  const { java, classPath } = resolveVeraPdf(PROJECT_ROOT);
  const dir = await mkdtemp(path.join(tmpdir(), 'lotse-verapdf-'));
  try {
    const file = path.join(dir, 'document.pdf');
    await writeFile(file, pdf);
    // veraPDF exits 1 when the file fails the profile; the text report says which rules.
    const { stdout } = await promisify(execFile)(
      java,
      ['-cp', classPath, VERAPDF_MAIN_CLASS, '--flavour', 'ua1', '--format', 'text', '-v', file],
      { maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { stdout?: string; code?: number }) => {
      if (error.code === 1 && error.stdout) return { stdout: error.stdout };
      throw error;
    });
    const lines = stdout.split('\n');
    return {
      compliant: lines.some((line) => line.startsWith('PASS ')),
      failedRules: lines.flatMap((line) => /^\s+FAIL\s+(\S+)/.exec(line)?.[1] ?? []),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface PdfBlock {
  /** The structure type: H1, P, L, LI, Lbl, LBody, Table, … */
  role: string;
  text: string;
  depth: number;
}

export interface PdfReading {
  /** The catalog's /Lang. */
  lang: string | null;
  title: string | null;
  displayDocTitle: boolean;
  marked: boolean;
  /** The XMP's pdfuaid:part, if the file claims PDF/UA. */
  pdfUaPart: string | null;
  /** Every structure element below the root, depth first: the order a screen reader reads them. */
  blocks: PdfBlock[];
}

interface StructNode {
  role?: string;
  type?: string;
  id?: string;
  children?: StructNode[];
}

/** pdf.js answers some dictionaries as Maps, others as plain objects. */
function entry(dictionary: unknown, key: string): unknown {
  if (dictionary instanceof Map) return dictionary.get(key);
  return dictionary && typeof dictionary === 'object' ? (dictionary as Record<string, unknown>)[key] : undefined;
}

/** pdf.js 6 calls Promise.withResolvers, which Node 20 (the tests' Node) lacks: supplied before it loads. */
function loadPdfJs() {
  if (!('withResolvers' in Promise)) {
    Object.assign(Promise, {
      withResolvers<T>() {
        let resolve!: (value: T) => void;
        let reject!: (reason: unknown) => void;
        const promise = new Promise<T>((res, rej) => {
          resolve = res;
          reject = rej;
        });
        return { promise, resolve, reject };
      },
    });
  }
  return import('pdfjs-dist/legacy/build/pdf.mjs');
}

/** What a screen reader gets from the PDF, read with pdf.js. */
export async function readPdf(pdf: Buffer): Promise<PdfReading> {
  const { getDocument } = await loadPdfJs();
  const document = await getDocument({ data: new Uint8Array(pdf) }).promise;
  try {
    const { info, metadata } = await document.getMetadata();
    const preferences: unknown = await document.getViewerPreferences();
    const markInfo: unknown = await document.getMarkInfo();
    const blocks: PdfBlock[] = [];
    let lang: string | null = null;
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent({ includeMarkedContent: true });
      lang ??= content.lang ?? null;
      const textById = new Map<string, string>();
      let open: string | undefined;
      for (const item of content.items as { type?: string; id?: string; str?: string }[]) {
        if (item.type === 'beginMarkedContentProps' && item.id) open = item.id;
        else if (item.type === 'endMarkedContent') open = undefined;
        else if (open && item.str !== undefined) textById.set(open, `${textById.get(open) ?? ''}${item.str}`);
      }
      const tree = (await page.getStructTree()) as StructNode | null;
      const walk = (node: StructNode, depth: number): string => {
        let text = '';
        for (const child of node.children ?? []) {
          if (child.type === 'content' && child.id) text += textById.get(child.id) ?? '';
          else if (child.role) {
            const index = blocks.length;
            blocks.push({ role: child.role, text: '', depth });
            const inner = walk(child, depth + 1);
            blocks[index] = { role: child.role, text: inner.trim(), depth };
            text += inner;
          }
        }
        return text;
      };
      if (tree) walk(tree, 0);
    }
    const title = (info as { Title?: string }).Title ?? null;
    return {
      lang,
      title,
      displayDocTitle: entry(preferences, 'DisplayDocTitle') === true,
      marked: entry(markInfo, 'Marked') === true,
      pdfUaPart: metadata?.get('pdfuaid:part') ?? null,
      blocks,
    };
  } finally {
    await document.loadingTask.destroy();
  }
}

export interface AccessiblePdfExpectation {
  lang: string;
  title: string;
  /** The texts of the H1 elements, in order. */
  headings: string[];
}

/**
 * Asserts a generated PDF is PDF/UA-1 to veraPDF, in the given language, titled for the reader, and that its
 * headings come first in the structure before the paragraphs they head. Any new document type calls this.
 */
export async function expectAccessiblePdf(pdf: Buffer, expected: AccessiblePdfExpectation): Promise<PdfReading> {
  const verdict = await validatePdfUa(pdf);
  expect(verdict.failedRules, 'veraPDF PDF/UA-1 failures').toEqual([]);
  expect(verdict.compliant).toBe(true);
  const reading = await readPdf(pdf);
  expect(reading).toMatchObject({
    lang: expected.lang,
    title: expected.title,
    displayDocTitle: true,
    marked: true,
    pdfUaPart: '1',
  });
  expect(reading.blocks[0]?.role).toBe('Document');
  expect(reading.blocks.filter((block) => block.role === 'H1').map((block) => block.text)).toEqual(expected.headings);
  expect(reading.blocks.some((block) => block.role === 'P')).toBe(true);
  return reading;
}
