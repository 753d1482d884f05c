/**
 * `lotse signal <name> [--variables <json>]`: broadcasts a signal to the running system (DATABASE_URL /
 * TEMPORAL_ADDRESS, else the embedded PostgreSQL and Temporal dev server of `npm start` on their configured ports).
 * Every case waiting for the signal now takes it, each once; signals are not buffered (ADR 0031).
 */
import { withRunningSystem } from './running-system.js';

export const SIGNAL_USAGE = `  signal <name> [--variables <json>]
                    broadcast a signal to the running system; prints the cases it reached`;

export type SignalArgs =
  { ok: true; name: string; variables: Record<string, unknown> } | { ok: false; message: string };

/** The command line, checked before anything connects. */
export function parseSignalArgs(args: string[]): SignalArgs {
  const [name, ...rest] = args;
  if (name === undefined || name.trim() === '' || name.startsWith('--')) {
    return { ok: false, message: `lotse signal: the signal needs a name\n\nUsage: lotse\n${SIGNAL_USAGE}` };
  }
  let variables: Record<string, unknown> = {};
  for (let index = 0; index < rest.length; index += 2) {
    const flag = rest[index] ?? '';
    const value = rest[index + 1];
    if (flag !== '--variables' || value === undefined) {
      return {
        ok: false,
        message: `lotse signal: unexpected ${flag || 'end of arguments'}\n\nUsage: lotse\n${SIGNAL_USAGE}`,
      };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { ok: false, message: 'lotse signal: --variables must be a JSON object' };
    }
    variables = Object.fromEntries(Object.entries(parsed));
  }
  return { ok: true, name: name.trim(), variables };
}

export async function signalCommand(args: string[]): Promise<number> {
  const parsed = parseSignalArgs(args);
  if (!parsed.ok) {
    console.error(parsed.message);
    return 2;
  }
  const [{ createSignalRepository }, { createSignalService }] = await Promise.all([
    import('../repositories/signal.repository.js'),
    import('../services/signal.service.js'),
  ]);
  return withRunningSystem(async (db, temporal) => {
    const signals = createSignalService({ signals: createSignalRepository(db), temporal });
    const result = await signals.broadcast({ name: parsed.name, variables: parsed.variables });
    const reached = result.reachedCaseIds;
    console.log(
      reached.length === 0
        ? `signal ${parsed.name} reached no case: none waits for it (signals are not buffered)`
        : `signal ${parsed.name} reached ${reached.length} case${reached.length === 1 ? '' : 's'}: ${reached.join(', ')}`,
    );
    return 0;
  });
}
