import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKnownJobType, JOB_TYPES, jobType } from './job-types.js';

// Invariant: the designer knows exactly the job types the worker implements, each named in German and English.

const WORKER = readFileSync(path.resolve(import.meta.dirname, '../main/worker.ts'), 'utf8');

describe('job types', () => {
  it('are the types of the worker catalog', () => {
    const catalog = /createJobActivities\(\{([\s\S]*?)\n {2}\}\);/.exec(WORKER)?.[1] ?? '';
    const implemented = [...catalog.matchAll(/^ {4}'?([a-z-]+)'?:/gm)].map((match) => match[1]).sort();
    expect(implemented.length).toBeGreaterThan(0);
    expect(JOB_TYPES.map((entry) => entry.type).sort()).toEqual(implemented);
  });

  it('name every type and parameter in both languages', () => {
    for (const entry of JOB_TYPES) {
      expect(entry.name.de && entry.name.en, entry.type).toBeTruthy();
      for (const parameter of [...entry.headers, ...entry.variables]) {
        expect(parameter.label.de && parameter.label.en, `${entry.type}.${parameter.name}`).toBeTruthy();
      }
    }
  });

  it('finds a type by name and rejects an unknown one', () => {
    expect(jobType('email')?.headers.map((header) => header.name)).toEqual(['to', 'subject', 'body']);
    expect(isKnownJobType('emial')).toBe(false);
  });
});
