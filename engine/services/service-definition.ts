/**
 * Service folders (`workflows/catalog/<slug>/`): a folder is read into a map of files and compiled by the one
 * loader every source of a service shares (`engine/designer/service-files.ts`: drafts, zips, `lotse publish`).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  definitionFromFiles,
  isValidFileName,
  ServiceDefinitionError,
  type ServiceDefinition,
  type ServiceFiles,
} from '../designer/service-files.js';
import type { StartConfig, StartStep } from '../db/schema.js';

// Declared with the column that stores them (db/ sits below services/).
export type { StartConfig, StartStep };
export { ServiceDefinitionError, type ServiceDefinition };

/**
 * The files of a service folder as a map: every regular file directly in it whose name a service file may have
 * (dot files such as `.DS_Store` and sub-folders are left out).
 */
export async function readServiceFolder(folder: string): Promise<ServiceFiles> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: ServiceFiles = {};
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isFile() || entry.name.startsWith('.') || !isValidFileName(entry.name)) continue;
    files[entry.name] = await readFile(path.join(folder, entry.name), 'utf8');
  }
  return files;
}

/** Reads, compiles and checks one service folder (`service.json`, BPMN, forms). */
export async function loadServiceFolder(folder: string): Promise<ServiceDefinition> {
  if (!existsSync(path.join(folder, 'service.json'))) {
    throw new ServiceDefinitionError(`${path.join(folder, 'service.json')}: no such file`);
  }
  return definitionFromFiles(await readServiceFolder(folder));
}

/** Service folders of the catalog: the folders with a `service.json` (others are ignored, e.g. half-made ones). */
export async function listServiceFolders(catalogDir: string): Promise<string[]> {
  const entries = await readdir(catalogDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && existsSync(path.join(catalogDir, entry.name, 'service.json')))
    .map((entry) => path.join(catalogDir, entry.name))
    .sort();
}
