import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

/** Only what `lotse test` decides before it starts an engine: the integration lane runs the rest. */
async function lotseTest(...args: string[]) {
  try {
    const { stdout, stderr } = await run('node', [path.join(ROOT, 'bin/lotse.js'), 'test', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('lotse test', () => {
  it('without paths prints its usage, exit code 2', async () => {
    const result = await lotseTest();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('test <dir|file…>');
  });

  it('refuses a timeout that is no number of seconds, exit code 2', async () => {
    const result = await lotseTest('--timeout', 'soon', 'workflows/catalog');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--timeout needs a number of seconds, not "soon"');
  });

  it('finding no test cases is a failure, exit code 1', async () => {
    const result = await lotseTest('engine/scenario/fixtures/instructions/permit.bpmn');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('0 passed, 0 failed\n');
    expect(result.stderr).toContain('No CPT test cases found');
  });
});
