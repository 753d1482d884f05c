import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { bundleCaseWorkflows } from '../../engine/temporal/case-worker.js';

const HISTORIES = path.join(import.meta.dirname, '..', 'replay', 'histories');

/**
 * Recorded histories of the shipped services replayed against today's workflow code: a change that
 * would make a running case take another path (non-determinism) fails here, before it reaches a case.
 */
describe('replay of recorded case histories', () => {
  it('replays every recorded history without a non-determinism error', async () => {
    const files = (await readdir(HISTORIES)).filter((file) => file.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThan(0);
    const workflowBundle = await bundleCaseWorkflows();
    const histories = await Promise.all(
      files.map(async (file) => ({
        workflowId: file,
        history: historyFromJSON(JSON.parse(await readFile(path.join(HISTORIES, file), 'utf8'))),
      })),
    );
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle, replayName: 'lotse-replay' }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
