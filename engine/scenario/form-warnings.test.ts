import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioFilesFromMap } from './run-service-files.js';
import { findScenarioFiles } from './scenario-files.js';

// ADR 0034: `lotse test` loads forms with editor leftovers and names what it left out as warnings, not as problems.
const CORPUS = path.resolve(import.meta.dirname, '../../test/conformance/forms-from-editors');
const LEFTOVER = 'component Text_Intro (text): property label is ignored (form-js does not use it here)';

describe('form warnings in lotse test', () => {
  it('reads a folder: the form loads, its leftovers are warnings', async () => {
    const files = await findScenarioFiles([CORPUS]);

    expect(files.forms.has('conformance-editor-leftovers')).toBe(true);
    expect(files.problems).toEqual([]);
    expect(files.warnings).toContainEqual(expect.stringContaining(LEFTOVER));
  });

  it('reads a map of files (the designer test run) the same way', () => {
    const files = scenarioFilesFromMap({
      'editor-leftovers.form': readFileSync(path.join(CORPUS, 'editor-leftovers.form'), 'utf8'),
    });

    expect(files.forms.has('conformance-editor-leftovers')).toBe(true);
    expect(files.problems).toEqual([]);
    expect(files.warnings).toContainEqual(
      expect.stringContaining(`editor-leftovers.form: Form conformance-editor-leftovers, ${LEFTOVER}`),
    );
  });
});
