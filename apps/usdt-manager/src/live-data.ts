import { acquireDataDirLock, DataDirLock } from '@app/common';
import { appConfig, databaseConfig, tronConfig } from '@app/config';

/**
 * Takes the DATA_DIR lock when this process is about to run something on the live data there: the embedded
 * engine (no MONGODB_URI) or the devnet (no TRON_FULL_HOST, and `withDevnet`). With both external nothing
 * under DATA_DIR is live, so any number of processes may run (several service instances, the CLIs).
 * Must run before the engine and the devnet start. Throws DataDirLockedError naming the holder's pid.
 */
export function lockLiveData(command: string, { withDevnet = true } = {}): DataDirLock | undefined {
  const embeddedEngine = !databaseConfig().uri;
  const devnet = withDevnet && !tronConfig().fullHost;
  if (!embeddedEngine && !devnet) return undefined;
  return acquireDataDirLock(appConfig().dataDir, command);
}
