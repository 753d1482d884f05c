import { resolveDebianTool, type DebianTool, type DebianToolOptions } from './debian-package.js';

/** Debian's Chromium for the e2e lane; never a browser downloaded by Playwright. */
export const CHROMIUM: DebianTool = {
  label: 'Chromium',
  debianPackage: 'chromium',
  binary: 'chromium',
  defaultPath: '/usr/bin/chromium',
  envVar: 'CHROMIUM_PATH',
};

/** The Chromium executable: `CHROMIUM_PATH`, `/usr/bin/chromium`, `chromium` on PATH, else installed with apt. */
export function resolveChromium(options: DebianToolOptions = {}): string {
  return resolveDebianTool(CHROMIUM, options);
}
