import { resolveDebianTool, type DebianTool, type DebianToolOptions } from './debian-package.js';

/** Debian's qpdf: checks and decompresses PDFs for tests that read generated documents. */
export const QPDF: DebianTool = {
  label: 'qpdf',
  debianPackage: 'qpdf',
  binary: 'qpdf',
  defaultPath: '/usr/bin/qpdf',
  envVar: 'QPDF_PATH',
};

/** The qpdf executable: `QPDF_PATH`, `/usr/bin/qpdf`, `qpdf` on PATH, else installed with apt. */
export function resolveQpdf(options: DebianToolOptions = {}): string {
  return resolveDebianTool(QPDF, options);
}
