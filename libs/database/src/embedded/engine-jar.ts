import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ENGINE_DIR = join('tools', 'embedded-mongo');
const JAR_NAME = 'embedded-mongo.jar';

/** The project root: the nearest ancestor holding tools/embedded-mongo (works from src and from dist). */
export function findProjectRoot(start = __dirname): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, ENGINE_DIR, 'pom.xml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}

/** A fingerprint of the engine's sources: a changed pom.xml or Java file means a rebuild. */
function sourceHash(sourceDir: string): string {
  const hash = createHash('sha256');
  for (const file of [join(sourceDir, 'pom.xml'), ...listFiles(join(sourceDir, 'src'))]) {
    hash.update(relative(sourceDir, file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

export interface EngineJarOptions {
  projectRoot?: string;
  /** Called once when a build starts, so a caller can say why start-up takes a minute. */
  onBuild?: (message: string) => void;
}

/**
 * Returns the path of an engine jar built from the current sources, building it with Maven when it is missing
 * or stale. Each build has its own directory and the jar is renamed into place, so concurrent callers never
 * see half a jar or share Maven's target/.
 */
export async function ensureEngineJar(options: EngineJarOptions = {}): Promise<string> {
  const root = options.projectRoot ?? findProjectRoot();
  const sourceDir = join(root, ENGINE_DIR);
  if (!existsSync(join(sourceDir, 'pom.xml'))) {
    throw new Error(
      `The embedded MongoDB-compatible engine sources are missing (${sourceDir}). ` +
        'Set MONGODB_URI to a MongoDB 6+ server, or EMBEDDED_MONGO_JAR to a prebuilt engine jar.',
    );
  }
  const cacheDir = join(root, '.cache', 'embedded-mongo', sourceHash(sourceDir));
  const jar = join(cacheDir, JAR_NAME);
  if (existsSync(jar)) return jar;

  const buildDir = join(cacheDir, `build-${process.pid}`);
  mkdirSync(buildDir, { recursive: true });
  options.onBuild?.(
    'first run: building the embedded MongoDB-compatible engine (mongo-java-server, Java) with Maven into ' +
      `${cacheDir}; Maven fetches its dependencies once (about a minute on a cold machine)`,
  );
  try {
    await runMavenPackage(sourceDir, buildDir);
    renameSync(join(buildDir, JAR_NAME), jar);
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }
  // Older builds are dead weight once the sources changed.
  for (const old of readdirSync(dirname(cacheDir))) {
    if (join(dirname(cacheDir), old) !== cacheDir)
      rmSync(join(dirname(cacheDir), old), { recursive: true, force: true });
  }
  return jar;
}

function runMavenPackage(sourceDir: string, buildDir: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('mvn', ['-q', '-B', 'package', `-Dengine.buildDir=${buildDir}`], {
      cwd: sourceDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === 'ENOENT'
            ? 'Maven is not installed, so the embedded MongoDB-compatible engine (tools/embedded-mongo) cannot be ' +
                'built. Install Java 17+ and Maven (Debian: apt-get install openjdk-17-jdk-headless maven), ' +
                'or set MONGODB_URI to a MongoDB 6+ server.'
            : `Building the embedded engine failed to start: ${err.message}`,
        ),
      );
    });
    child.on('exit', (code) => {
      if (code === 0) return resolvePromise();
      reject(
        new Error(
          `Building the embedded MongoDB-compatible engine failed (mvn package exited ${code}):\n${output.trim()}\n` +
            'Fix the Java 17+ / Maven toolchain (Maven Central reachable), or set MONGODB_URI to a MongoDB 6+ server.',
        ),
      );
    });
  });
}
