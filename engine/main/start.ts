import { loadConfig } from '../config.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../services/seed.js';
import { startSystem } from './system.js';

/** `npm start`: the whole system in one process. Ctrl-C stops everything it started. */
async function main() {
  const config = loadConfig();
  const system = await startSystem(config);
  console.log(`\nLotse is running at ${system.url}`);
  if (config.SEED_DEMO) {
    console.log(`Demo logins (password for all: ${DEMO_PASSWORD}):`);
    const logins: [who: string, email: string, path: string][] = [
      ['company user', DEMO_ACCOUNTS.companyUser.email, '/login'],
      ['caseworker', DEMO_ACCOUNTS.caseworker.email, '/staff/login'],
      ['administrator', DEMO_ACCOUNTS.administrator.email, '/staff/incidents'],
      ['building authority', DEMO_ACCOUNTS.buildingAuthority.email, '/staff/login'],
      ['environment agency', DEMO_ACCOUNTS.environmentAgency.email, '/staff/login'],
    ];
    for (const [who, email, where] of logins)
      console.log(`  ${`${who}:`.padEnd(20)}${email.padEnd(44)}→ ${system.url}${where}`);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping …`);
    await system.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
