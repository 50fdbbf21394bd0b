/**
 * Builds the embedded MongoDB-compatible engine (tools/embedded-mongo) into .cache/ if it is missing or
 * stale, and prints its path. The service does the same on demand; CI runs this first so the build cost is
 * paid once, visibly, before any test starts.
 */
import { ensureEngineJar } from '@app/database';

ensureEngineJar({ onBuild: (message) => process.stderr.write(`${message}\n`) })
  .then((binary) => process.stdout.write(`${binary}\n`))
  .catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  });
