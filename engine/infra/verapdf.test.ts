import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MissingToolError } from './tool-install.js';
import { VERAPDF_ARTIFACT, resolveVeraPdf } from './verapdf.js';

/** A folder with executables of these names (they are only found, never run). */
function binDir(...names: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lotse-bin-'));
  for (const name of names) {
    writeFileSync(path.join(dir, name), '#!/bin/sh\nexit 1\n');
    chmodSync(path.join(dir, name), 0o755);
  }
  return dir;
}

describe('resolveVeraPdf', () => {
  it('names the package to install when there is no Java', () => {
    const project = mkdtempSync(path.join(tmpdir(), 'lotse-project-'));
    expect(() => resolveVeraPdf(project, { pathEnv: binDir('mvn') })).toThrow(MissingToolError);
    expect(() => resolveVeraPdf(project, { pathEnv: binDir('mvn') })).toThrow(/openjdk/);
  });

  it('uses the recorded class path while its jars are there, without Maven', () => {
    const project = mkdtempSync(path.join(tmpdir(), 'lotse-project-'));
    const toolDir = path.join(project, '.tools', 'verapdf');
    mkdirSync(toolDir, { recursive: true });
    const jar = path.join(toolDir, 'greenfield-apps.jar');
    writeFileSync(jar, '');
    writeFileSync(path.join(toolDir, `classpath-${VERAPDF_ARTIFACT.version}.txt`), `${jar}\n`);
    const java = binDir('java');
    expect(resolveVeraPdf(project, { pathEnv: java })).toEqual({ java: path.join(java, 'java'), classPath: jar });
  });

  it('asks for Maven when the jars are missing and Maven is too', () => {
    const project = mkdtempSync(path.join(tmpdir(), 'lotse-project-'));
    expect(() => resolveVeraPdf(project, { pathEnv: binDir('java') })).toThrow(/apt-get install maven/);
  });
});
