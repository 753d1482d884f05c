import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../engine/main/system.js';

// Invariant: a lane whose outside tool is missing (no Chromium, no Temporal CLI) stops before it
// starts any server, with exactly one line that names the command to run — never a stack trace per
// test file. Each case runs a real `vitest run` of that lane with the tool's variable pointing nowhere.

/** The environment of a fresh shell: without the variables this vitest run set for its own workers. */
function freshEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_OPTIONS'),
  );
  return { ...env, ...overrides };
}

describe('a lane without its outside tool', () => {
  it.each([
    {
      lane: 'e2e',
      variable: 'CHROMIUM_PATH',
      line: /^e2e lane stopped: CHROMIUM_PATH points to \/nonexistent\/chromium, which is not an executable file: .*`apt-get install chromium` as root\.$/,
    },
    {
      lane: 'integration',
      variable: 'TEMPORAL_CLI',
      line: /^integration lane stopped: TEMPORAL_CLI points to \/nonexistent\/temporal, which is not an executable file: fix TEMPORAL_CLI or unset it/,
    },
  ])('$lane: stops with one line naming the fix ($variable missing)', ({ lane, variable, line }) => {
    const started = Date.now();
    const run = spawnSync(
      process.execPath,
      [path.join(PROJECT_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', lane, '--color=false'],
      {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        env: freshEnv({
          [variable]: `/nonexistent/${variable === 'CHROMIUM_PATH' ? 'chromium' : 'temporal'}`,
          NO_COLOR: '1',
        }),
      },
    );
    const output = `${run.stdout}${run.stderr}`;
    const lines = output.split('\n').filter((text) => /\S/.test(text) && !/^\s*RUN\s+v\d/.test(text));
    expect(run.status, output).toBe(1);
    expect(lines, output).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(output).not.toMatch(/^\s+at /m);
    // Stopping comes before any PostgreSQL or Temporal start (each takes seconds).
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
