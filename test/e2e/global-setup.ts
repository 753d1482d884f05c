import type { TestProject } from 'vitest/node';
import { resolveChromium } from '../../engine/infra/chromium.js';
import { requireForLane } from '../prerequisite.js';

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string;
  }
}

/**
 * Debian's Chromium for the whole e2e lane, found or installed (apt, as root) once per run before any
 * server starts; without it the lane stops with one line naming the command to run.
 */
export default function setup(project: TestProject) {
  project.provide(
    'chromiumPath',
    requireForLane('e2e lane', () => resolveChromium()),
  );
}
