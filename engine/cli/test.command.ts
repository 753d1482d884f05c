/**
 * `lotse test <dir|file…>`: runs Camunda Process Test JSON test cases against the real engine (case workflows in
 * scenario mode on Temporal, read model in PostgreSQL). One line per test case, then `N passed, N failed`;
 * exit code 1 if any failed. Uses DATABASE_URL / TEMPORAL_ADDRESS if set, else starts its own, temporarily.
 */

export const TEST_USAGE = `  test <dir|file…>  run the Camunda Process Test JSON test cases (files with a "testCases" array) below the
                    folders against the engine, with the BPMN, form and DMN files found there
                    [--timeout <seconds>] how long an instruction waits (default 10)
                    [--record-histories <dir>] save each case's workflow history there (replay fixtures)`;

export async function testCommand(args: string[]): Promise<number> {
  const paths: string[] = [];
  let timeoutMs: number | undefined;
  let recordHistoriesDir: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--record-histories') {
      recordHistoriesDir = args[++index];
      if (!recordHistoriesDir) {
        console.error('lotse test: --record-histories needs a folder');
        return 2;
      }
    } else if (arg === '--timeout' || arg.startsWith('--timeout=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++index];
      const seconds = Number(value);
      if (!Number.isFinite(seconds) || seconds <= 0) {
        console.error(`lotse test: --timeout needs a number of seconds, not "${value ?? ''}"`);
        return 2;
      }
      timeoutMs = seconds * 1000;
    } else if (arg.startsWith('--')) {
      console.error(`lotse test: unknown option ${arg}\n\nUsage: lotse\n${TEST_USAGE}`);
      return 2;
    } else {
      paths.push(arg);
    }
  }
  if (paths.length === 0) {
    console.error(`Usage: lotse\n${TEST_USAGE}`);
    return 2;
  }
  const { DATABASE_URL, TEMPORAL_ADDRESS } = process.env;
  console.error(
    `lotse test: ${DATABASE_URL ? 'PostgreSQL from DATABASE_URL (scenario services and cases are written to it)' : 'a temporary PostgreSQL'}, ` +
      `${TEMPORAL_ADDRESS ? `Temporal at ${TEMPORAL_ADDRESS}` : 'a temporary Temporal dev server'}`,
  );
  // Loaded here, not at the top: `lotse validate` should not pay for the worker, Temporal and the database.
  const { runScenarioTests } = await import('../scenario/run-scenarios.js');
  const summary = await runScenarioTests({
    paths,
    databaseUrl: DATABASE_URL,
    temporalAddress: TEMPORAL_ADDRESS,
    ...(timeoutMs !== undefined && { timeoutMs }),
    ...(recordHistoriesDir !== undefined && { recordHistoriesDir }),
  });
  return summary.exitCode;
}
