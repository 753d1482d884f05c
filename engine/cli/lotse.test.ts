import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const SERVICE = path.join(ROOT, 'workflows/catalog/general-inquiry');

async function lotse(...args: string[]) {
  try {
    const { stdout } = await run('node', [path.join(ROOT, 'bin/lotse.js'), ...args], { cwd: ROOT });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

describe('lotse validate', () => {
  it('accepts the shipped general-inquiry service', async () => {
    const result = await lotse('validate', SERVICE);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ok   ');
  });

  it('rejects an unsupported element and names its id and type, exit code 1', async () => {
    const copy = await mkdtemp(path.join(tmpdir(), 'lotse-cli-'));
    await cp(SERVICE, copy, { recursive: true });
    const bpmnFile = path.join(copy, 'general-inquiry.bpmn');
    const bpmn = await readFile(bpmnFile, 'utf8');
    await writeFile(
      bpmnFile,
      bpmn
        .replace('<bpmn:userTask id="Task_Answer"', '<bpmn:manualTask id="Task_Answer"')
        .replace('</bpmn:userTask>\n    <bpmn:exclusiveGateway', '</bpmn:manualTask>\n    <bpmn:exclusiveGateway'),
    );
    const result = await lotse('validate', copy);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Task_Answer (bpmn:ManualTask)');
  });
});
