/**
 * `lotse backup <file>` and `lotse restore <file> [--force]`: one `.tar.gz` with the database, the blobs,
 * the session secret and the Temporal dev server's SQLite file (engine/backup/, ADR 0012). With embedded
 * servers, Lotse must be stopped: both commands refuse while it runs on DATA_DIR.
 */
import { loadConfig } from '../config.js';

export const BACKUP_USAGE = `  backup <file>     write a backup (.tar.gz) of the database, uploads, session secret and Temporal state
                    to <file>; stop Lotse first (embedded servers)
  restore <file> [--force]
                    restore a backup into an empty DATA_DIR (--force replaces what is there); then npm start`;

export async function backupCommand(args: string[]): Promise<number> {
  const [file, ...rest] = args;
  if (!file || file.startsWith('--') || rest.length > 0) {
    console.error(`Usage: lotse\n${BACKUP_USAGE}`);
    return 2;
  }
  return run(async ({ createBackup }, settings) => {
    const summary = await createBackup(file, settings);
    const { counts, parts } = summary.manifest;
    console.log(
      `backup written: ${summary.file} (${formatBytes(summary.bytes)}) in ${(summary.elapsedMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `  ${counts.cases} cases, ${counts.openTasks} open tasks, ${counts.documents} documents, ${counts.blobs} blobs; ` +
        `parts: ${Object.entries(parts)
          .map(([name, part]) => `${name} ${formatBytes(part.bytes)}`)
          .join(', ')}`,
    );
    return 0;
  });
}

export async function restoreCommand(args: string[]): Promise<number> {
  const force = args.includes('--force');
  const positional = args.filter((arg) => arg !== '--force');
  const [file] = positional;
  if (!file || file.startsWith('--') || positional.length > 1) {
    console.error(`Usage: lotse\n${BACKUP_USAGE}`);
    return 2;
  }
  return run(async ({ restoreBackup }, settings) => {
    const summary = await restoreBackup(file, { ...settings, force });
    const { counts, createdAt, lotseVersion } = summary.manifest;
    console.log(
      `restored the backup of ${createdAt} (Lotse ${lotseVersion}) into ${settings.dataDir} in ` +
        `${(summary.elapsedMs / 1000).toFixed(1)} s: ${counts.cases} cases, ${counts.openTasks} open tasks, ` +
        `${counts.blobs} blobs, ${summary.rows} rows`,
    );
    console.log('start Lotse (npm start): every case goes on where it was; timers due meanwhile fire at once');
    return 0;
  });
}

type BackupModule = typeof import('../backup/backup.js');
type Settings = import('../backup/backup.js').BackupSettings;

async function run(work: (backup: BackupModule, settings: Settings) => Promise<number>): Promise<number> {
  // Loaded here, not at the top: `lotse validate` should not pay for PostgreSQL and zlib.
  const [backup, { BackupFormatError }, { TarFormatError }] = await Promise.all([
    import('../backup/backup.js'),
    import('../backup/manifest.js'),
    import('../backup/tar.js'),
  ]);
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const settings: Settings = {
    dataDir: config.DATA_DIR,
    databaseUrl: config.DATABASE_URL,
    temporalAddress: config.TEMPORAL_ADDRESS,
    temporalNamespace: config.TEMPORAL_NAMESPACE,
    log: (line) => console.log(line),
  };
  if (settings.temporalAddress) console.log(backup.EXTERNAL_TEMPORAL_NOTE);
  if (config.SESSION_SECRET) {
    console.log('SESSION_SECRET comes from the environment: keep it with the backup yourself (it is not in the file)');
  }
  try {
    return await work(backup, settings);
  } catch (error) {
    if (
      error instanceof backup.BackupRefusedError ||
      error instanceof BackupFormatError ||
      error instanceof TarFormatError
    ) {
      console.error(`lotse: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
