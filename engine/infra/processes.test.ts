import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimDataFolder, containsSequence, dyingWithParent, isAlive } from './processes.js';

describe('containsSequence', () => {
  // Invariant: a leftover is recognised only by its own data folder, never by a prefix or a lone argument.
  it.each([
    [['postgres', '-D', '/data/pg', '-p', '5433'], ['-D', '/data/pg'], true],
    [['postgres', '-D', '/data/pg2'], ['-D', '/data/pg'], false],
    [['postgres', '/data/pg', '-D'], ['-D', '/data/pg'], false],
    [['temporal', '--db-filename', '/data/temporal.db'], ['--db-filename', '/data/temporal.db'], true],
    [['-D'], ['-D', '/data/pg'], false],
    [['anything'], [], false],
  ])('%j contains %j: %s', (items, sequence, expected) => {
    expect(containsSequence(items, sequence)).toBe(expected);
  });
});

describe('dyingWithParent', () => {
  it('runs the command through setpriv with the parent-death signal, under the same arguments', () => {
    const { command, args } = dyingWithParent('/bin/postgres', ['-D', '/data/pg'], 'INT');
    expect(command).toBe('/usr/bin/setpriv');
    expect(args).toEqual(['--pdeathsig', 'INT', '--', '/bin/postgres', '-D', '/data/pg']);
  });
});

describe('claimDataFolder', () => {
  const dirs: string[] = [];
  const children: { kill(): boolean }[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const folder = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lotse-claim-'));
    dirs.push(dir);
    return dir;
  };

  it('claims a free folder and releases it', () => {
    const dir = folder();
    const release = claimDataFolder(dir);
    expect(readFileSync(path.join(dir, 'lotse.pid'), 'utf8').trim()).toBe(String(process.pid));
    release();
    expect(() => readFileSync(path.join(dir, 'lotse.pid'))).toThrow();
  });

  it('takes over the file of a Lotse that is gone (killed)', () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'lotse.pid'), '999999999\n');
    expect(isAlive(999_999_999)).toBe(false);
    expect(() => claimDataFolder(dir)()).not.toThrow();
  });

  it('refuses a folder another running Lotse (a node process) holds', async () => {
    const dir = folder();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    children.push(other);
    await new Promise((resolve) => other.once('spawn', resolve));
    writeFileSync(path.join(dir, 'lotse.pid'), `${other.pid}\n`);
    expect(() => claimDataFolder(dir)).toThrow(/Another Lotse \(pid \d+\) is running on the data folder/);
  });
});
