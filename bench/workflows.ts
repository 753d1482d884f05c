/**
 * The raw-Temporal baseline: the smallest workflow with the same shape as a Lotse case's
 * interaction (started, then one Workflow Update from outside, then done). Bundled on its own
 * by bench/run.ts; imports only `@temporalio/workflow`, like everything Temporal replays.
 */
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const pingUpdate = defineUpdate<string, [string]>('ping');

export async function pingWorkflow(): Promise<string> {
  let received: string | undefined;
  setHandler(pingUpdate, (value) => {
    received = value;
    return value;
  });
  await condition(() => received !== undefined);
  return received ?? '';
}
