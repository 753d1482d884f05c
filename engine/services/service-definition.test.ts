import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceFolder } from './service-definition.js';

const PERMIT_GUIDANCE = path.resolve(import.meta.dirname, '../../workflows/catalog/permit-guidance');

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lotse-manifest-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A copy of the shipped permit guidance with its service.json changed. */
async function withManifest(name: string, change: (manifest: Record<string, unknown>) => void) {
  const folder = path.join(dir, name);
  await cp(PERMIT_GUIDANCE, folder, { recursive: true });
  const manifest: Record<string, unknown> = JSON.parse(await readFile(path.join(folder, 'service.json'), 'utf8'));
  change(manifest);
  await writeFile(path.join(folder, 'service.json'), JSON.stringify(manifest));
  return folder;
}

describe('service.json: steps and prefill', () => {
  it('reads the shipped permit guidance: three titled steps and its prefill', async () => {
    const definition = await loadServiceFolder(PERMIT_GUIDANCE);
    expect(definition.start.steps.map((step) => step.formId)).toEqual([
      'permit-guidance-project',
      'permit-guidance-site',
      'permit-guidance-documents',
    ]);
    expect(definition.start.steps[1]?.title).toEqual({ de: 'Standort', en: 'Site' });
    expect(definition.start.prefill).toEqual({ companyName: '=company.name', contactEmail: '=user.email' });
  });

  it('without steps, the start event form is the only step', async () => {
    const folder = await withManifest('no-steps', (manifest) => {
      delete manifest.steps;
      delete manifest.prefill;
    });
    expect((await loadServiceFolder(folder)).start).toEqual({
      steps: [{ formId: 'permit-guidance-project' }],
      prefill: {},
    });
  });

  it('steps and prefill are part of the content hash', async () => {
    const a = await withManifest('hash-a', () => {});
    const b = await withManifest('hash-b', (manifest) => {
      manifest.prefill = { companyName: '=company.name' };
    });
    expect((await loadServiceFolder(a)).contentHash).not.toBe((await loadServiceFolder(b)).contentHash);
  });

  it.each([
    [
      'a first step that is not the start event form',
      (manifest: Record<string, unknown>) => {
        manifest.steps = ['permit-guidance-site', 'permit-guidance-project'];
      },
      'the first step must be the start event\'s form (zeebe:formDefinition formId="permit-guidance-project")',
    ],
    [
      'an unknown form',
      (manifest: Record<string, unknown>) => {
        manifest.steps = ['permit-guidance-project', 'missing-form'];
      },
      'form "missing-form" is not one of the service\'s forms',
    ],
    [
      'a form listed twice',
      (manifest: Record<string, unknown>) => {
        manifest.steps = ['permit-guidance-project', 'permit-guidance-project'];
      },
      'form "permit-guidance-project" is listed twice',
    ],
    [
      'a prefill for a field no step has',
      (manifest: Record<string, unknown>) => {
        manifest.prefill = { phone: '=user.phone' };
      },
      'prefill: "phone" is not a field of the start steps',
    ],
    [
      'a prefill that is no expression',
      (manifest: Record<string, unknown>) => {
        manifest.prefill = { companyName: 'company.name' };
      },
      'is not a FEEL expression',
    ],
    [
      'a prefill that does not parse',
      (manifest: Record<string, unknown>) => {
        manifest.prefill = { companyName: '=company.' };
      },
      'prefill.companyName: FEEL expression',
    ],
  ])('rejects %s', async (name, change, message) => {
    const folder = await withManifest(name.replace(/\W+/g, '-'), change);
    await expect(loadServiceFolder(folder)).rejects.toThrow(message);
  });
});
