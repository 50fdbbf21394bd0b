import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { ensureEngineJar } from '@app/database';

/** The last commit whose embedded engine ignored secondary indexes (every query but by a unique key scanned). */
const BASELINE_COMMIT = '748bccc';

/**
 * Builds the mongo-java-server launcher of that commit from this repository's history with Maven, so that the
 * engine benchmark can put it beside today's in the same run. Returns undefined (and says why) when the commit
 * is not in the clone.
 */
export async function indexlessEngineBaseline(root: string): Promise<string | undefined> {
  if (
    spawnSync('git', ['rev-parse', '--verify', `${BASELINE_COMMIT}^{commit}`], { cwd: root }).status !== 0
  ) {
    console.log(`  (engine baseline skipped: commit ${BASELINE_COMMIT} is not in this clone)`);
    return undefined;
  }
  const src = join(root, '.cache', 'bench-engine-baseline', BASELINE_COMMIT);
  if (!existsSync(join(src, 'tools', 'embedded-mongo', 'pom.xml'))) {
    mkdirSync(src, { recursive: true });
    execFileSync('sh', ['-c', `git archive ${BASELINE_COMMIT} tools/embedded-mongo | tar -x -C "${src}"`], {
      cwd: root,
    });
  }
  return ensureEngineJar({
    projectRoot: src,
    onBuild: () => console.log(`  building the engine of ${BASELINE_COMMIT} with Maven (first run only)`),
  });
}
