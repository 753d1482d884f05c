/**
 * `lotse message <name> --key <correlation key> [--variables <json>] [--id <message id>] [--ttl <ms|ISO duration>]`:
 * publishes a message to the running system (DATABASE_URL / TEMPORAL_ADDRESS, else the embedded
 * PostgreSQL and Temporal dev server of `npm start` on their configured ports).
 */
import { withRunningSystem } from './running-system.js';
import { parseDuration } from '../scenario/duration.js';

export const MESSAGE_USAGE = `  message <name> --key <correlation key> [--variables <json>] [--id <message id>] [--ttl <ms|PT1H>]
                    publish a message to the running system; prints the case it reached or that it was buffered`;

export async function messageCommand(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  const options = new Map<string, string>();
  for (let index = 0; index < rest.length; index += 2) {
    const flag = rest[index] ?? '';
    const value = rest[index + 1];
    if (!['--key', '--variables', '--id', '--ttl'].includes(flag) || value === undefined) {
      console.error(`lotse message: unexpected ${flag || 'end of arguments'}\n\nUsage: lotse\n${MESSAGE_USAGE}`);
      return 2;
    }
    options.set(flag, value);
  }
  const correlationKey = options.get('--key');
  if (!name || correlationKey === undefined) {
    console.error(`Usage: lotse\n${MESSAGE_USAGE}`);
    return 2;
  }
  let variables: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(options.get('--variables') ?? '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    variables = Object.fromEntries(Object.entries(parsed));
  } catch {
    console.error('lotse message: --variables must be a JSON object');
    return 2;
  }
  const ttl = options.get('--ttl');
  const timeToLiveMs = ttl === undefined ? 0 : /^\d+$/.test(ttl) ? Number(ttl) : parseDuration(ttl);

  const [{ createMessageRepository }, { createMessageService }] = await Promise.all([
    import('../repositories/message.repository.js'),
    import('../services/message.service.js'),
  ]);
  return withRunningSystem(async (db, temporal) => {
    const messages = createMessageService({
      messages: createMessageRepository(db),
      temporal,
    });
    const result = await messages.publish({
      name,
      correlationKey,
      variables,
      messageId: options.get('--id'),
      timeToLiveMs,
    });
    console.log(
      result.duplicate
        ? `duplicate of message ${result.messageKey}: nothing published`
        : result.correlatedCaseId
          ? `message ${result.messageKey} reached case ${result.correlatedCaseId}`
          : timeToLiveMs > 0
            ? `message ${result.messageKey} buffered for ${timeToLiveMs} ms: no case waits for it yet`
            : `message ${result.messageKey} dropped: no case waits for it and it has no time to live`,
    );
    return 0;
  });
}
