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
    console.log(`  company user: ${DEMO_ACCOUNTS.companyUser.email}  → ${system.url}/login`);
    console.log(`  caseworker:   ${DEMO_ACCOUNTS.caseworker.email}  → ${system.url}/staff/login`);
    console.log(`  administrator: ${DEMO_ACCOUNTS.administrator.email}  → ${system.url}/staff/login`);
    console.log(
      `  building authority: ${DEMO_ACCOUNTS.buildingAuthority.email}, environment agency: ${DEMO_ACCOUNTS.environmentAgency.email}`,
    );
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
