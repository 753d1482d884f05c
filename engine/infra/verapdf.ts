import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MissingToolError, findOnPath, installWithProgress, runQuietly, type ProgressWriter } from './tool-install.js';

/** veraPDF, the reference validator for PDF/UA and PDF/A, from Maven Central (ADR 0032). */
export const VERAPDF_ARTIFACT = { groupId: 'org.verapdf.apps', artifactId: 'greenfield-apps', version: '1.28.2' };
export const VERAPDF_MAIN_CLASS = 'org.verapdf.apps.GreenfieldCliWrapper';

export interface VeraPdf {
  java: string;
  /** The class path of veraPDF and its dependencies: `java -cp <classPath> VERAPDF_MAIN_CLASS …`. */
  classPath: string;
}

export interface VeraPdfOptions {
  pathEnv?: string;
  write?: ProgressWriter;
}

/**
 * Finds veraPDF for the tests that validate generated documents: a Java on PATH (Java 17 will do) and the
 * jars under `.tools/verapdf`, fetched once with Maven into a repository of their own there. Silent when
 * they are already there; a MissingToolError naming what to install otherwise.
 */
export function resolveVeraPdf(projectRoot: string, options: VeraPdfOptions = {}): VeraPdf {
  const java = findOnPath('java', options.pathEnv);
  if (!java) throw new MissingToolError('veraPDF needs Java 17 or newer: apt-get install openjdk-17-jre-headless');
  const toolDir = path.join(projectRoot, '.tools', 'verapdf');
  const classPathFile = path.join(toolDir, `classpath-${VERAPDF_ARTIFACT.version}.txt`);
  const known = readClassPath(classPathFile);
  if (known) return { java, classPath: known };

  const mvn = findOnPath('mvn', options.pathEnv);
  if (!mvn) throw new MissingToolError('Fetching veraPDF from Maven Central needs Maven: apt-get install maven');
  installWithProgress(
    `veraPDF ${VERAPDF_ARTIFACT.version} from Maven Central into ${path.relative(projectRoot, toolDir)}`,
    () => fetchWithMaven(mvn, toolDir, classPathFile),
    options.write,
  );
  const fetched = readClassPath(classPathFile);
  if (!fetched) throw new MissingToolError(`Maven ran, but ${classPathFile} names no veraPDF jars`);
  return { java, classPath: fetched };
}

/** The recorded class path, if every jar it names is still there. */
function readClassPath(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const classPath = readFileSync(file, 'utf8').trim();
  const jars = classPath.split(path.delimiter).filter(Boolean);
  return jars.length > 0 && jars.every((jar) => existsSync(jar)) ? classPath : undefined;
}

function fetchWithMaven(mvn: string, toolDir: string, classPathFile: string) {
  mkdirSync(toolDir, { recursive: true });
  const pom = path.join(toolDir, 'pom.xml');
  const { groupId, artifactId, version } = VERAPDF_ARTIFACT;
  writeFileSync(
    pom,
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>lotse.tools</groupId><artifactId>verapdf</artifactId><version>1</version>
  <dependencies><dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency></dependencies>
</project>
`,
  );
  // Written under another name and renamed: a run that starts meanwhile never reads half a class path.
  const staging = `${classPathFile}.${process.pid}`;
  runQuietly(
    mvn,
    [
      '--batch-mode',
      '--quiet',
      '-f',
      pom,
      `-Dmaven.repo.local=${path.join(toolDir, 'm2')}`,
      'dependency:build-classpath',
      `-Dmdep.outputFile=${staging}`,
    ],
    `Could not fetch veraPDF ${version} from Maven Central`,
  );
  renameSync(staging, classPathFile);
}
