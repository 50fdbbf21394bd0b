import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The last commit whose embedded engine was FerretDB v1 on SQLite (with its one-command-at-a-time serializer). */
const BASELINE_COMMIT = 'fd832d5';

/**
 * Builds the earlier engine from this repository's own history, so that the engine benchmark can put it beside
 * today's in the same run. Needs Go and the commit in the clone; returns undefined (and says why) otherwise.
 */
export function ferretDbBaseline(root: string): string | undefined {
  const dir = join(root, '.cache', 'bench-ferretdb', BASELINE_COMMIT);
  const binary = join(dir, 'embedded-mongo');
  if (existsSync(binary)) return binary;
  if (spawnSync('go', ['version']).status !== 0) {
    console.log('  (FerretDB baseline skipped: Go is not installed)');
    return undefined;
  }
  if (
    spawnSync('git', ['rev-parse', '--verify', `${BASELINE_COMMIT}^{commit}`], { cwd: root }).status !== 0
  ) {
    console.log(`  (FerretDB baseline skipped: commit ${BASELINE_COMMIT} is not in this clone)`);
    return undefined;
  }
  console.log(`  building the FerretDB baseline engine from ${BASELINE_COMMIT} with Go (first run only)`);
  const src = join(dir, 'src');
  mkdirSync(src, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${BASELINE_COMMIT} tools/embedded-mongo | tar -x -C "${src}"`], {
    cwd: root,
  });
  execFileSync('go', ['build', '-trimpath', '-o', binary, '.'], {
    cwd: join(src, 'tools', 'embedded-mongo'),
    env: { ...process.env, CGO_ENABLED: '0' },
    stdio: 'inherit',
  });
  return binary;
}
