import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ENGINE_DIR = join('tools', 'embedded-mongo');
const BINARY_NAME = 'embedded-mongo';

/** The project root: the nearest ancestor holding tools/embedded-mongo (works from src and from dist). */
export function findProjectRoot(start = __dirname): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, ENGINE_DIR, 'go.mod'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** A fingerprint of the engine's sources: a changed main.go or go.sum means a rebuild. */
function sourceHash(sourceDir: string): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(sourceDir).sort()) {
    if (file.endsWith('.go') || file === 'go.mod' || file === 'go.sum') {
      hash.update(file).update(readFileSync(join(sourceDir, file)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

export interface EngineBinaryOptions {
  projectRoot?: string;
  /** Called once when a build starts, so a caller can say why start-up takes a minute. */
  onBuild?: (message: string) => void;
}

/**
 * Returns the path of an engine binary built from the current sources, building it with Go when it is missing
 * or stale. Builds go to a temporary file renamed into place, so concurrent callers never see half a binary.
 */
export async function ensureEngineBinary(options: EngineBinaryOptions = {}): Promise<string> {
  const root = options.projectRoot ?? findProjectRoot();
  const sourceDir = join(root, ENGINE_DIR);
  if (!existsSync(join(sourceDir, 'go.mod'))) {
    throw new Error(
      `The embedded MongoDB-compatible engine sources are missing (${sourceDir}). ` +
        'Set MONGODB_URI to a MongoDB 6+ server, or EMBEDDED_MONGO_BINARY to a prebuilt engine.',
    );
  }
  const cacheDir = join(root, '.cache', 'embedded-mongo', sourceHash(sourceDir));
  const binary = join(cacheDir, BINARY_NAME);
  if (existsSync(binary)) return binary;

  mkdirSync(cacheDir, { recursive: true });
  const temp = `${binary}.${process.pid}.tmp`;
  options.onBuild?.(`building the embedded MongoDB-compatible engine (first run only) into ${cacheDir}`);
  await runGoBuild(sourceDir, temp);
  renameSync(temp, binary);
  // Older builds are dead weight once the sources changed.
  for (const old of readdirSync(dirname(cacheDir))) {
    if (join(dirname(cacheDir), old) !== cacheDir)
      rmSync(join(dirname(cacheDir), old), { recursive: true, force: true });
  }
  return binary;
}

function runGoBuild(sourceDir: string, output: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('go', ['build', '-trimpath', '-o', output, '.'], {
      cwd: sourceDir,
      env: { ...process.env, CGO_ENABLED: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === 'ENOENT'
            ? 'Go is not installed, so the embedded MongoDB-compatible engine (tools/embedded-mongo) cannot be ' +
                'built. Install Go 1.24 or newer, or set MONGODB_URI to a MongoDB 6+ server.'
            : `Building the embedded engine failed to start: ${err.message}`,
        ),
      );
    });
    child.on('exit', (code) => {
      if (code === 0) return resolvePromise();
      reject(
        new Error(
          `Building the embedded MongoDB-compatible engine failed (go build exited ${code}):\n${stderr.trim()}\n` +
            'Fix the Go toolchain (Go 1.24+, module proxy reachable), or set MONGODB_URI to a MongoDB 6+ server.',
        ),
      );
    });
  });
}
