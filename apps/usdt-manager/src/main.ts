import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { existsSync } from 'node:fs';

import { DataDirLockedError } from '@app/common';
import { AllConfig, ConfigurationError, validateEnvironment } from '@app/config';
import { ShutdownState } from '@app/health';

import { lockLiveData } from './live-data';

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  // Validate before the application is assembled, so a bad setting ends the process with one clear message.
  validateEnvironment(process.env);
  // Before the embedded engine and the devnet start on DATA_DIR: a second process there (another service, or
  // a CLI run against the same data) refuses instead of opening the same files. Released at exit.
  lockLiveData('service');
  const { createApp } = await import('./create-app');
  const app = await createApp();
  const config = app.get<ConfigService<AllConfig, true>>(ConfigService);
  const { host, port, shutdownGraceMs } = config.getOrThrow('app', { infer: true });
  const logger = new Logger('Bootstrap');

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining (readiness now 503), then stopping`);
    // Readiness turns 503 first; app.close() then waits for in-flight requests and stops the database last.
    app.get(ShutdownState).begin();
    setTimeout(() => {
      logger.error(`in-flight work did not finish within ${shutdownGraceMs} ms; exiting anyway`);
      process.exit(1);
    }, shutdownGraceMs).unref();
    await app.close();
    // The last line of a clean stop: the database and the embedded engine are closed, nothing is in flight.
    logger.log('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));

  await app.listen(port, host);
  logger.log(`listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port} (docs at /docs)`);
}

bootstrap().catch((err: unknown) => {
  // Configuration problems and a data directory in use are the operator's to fix: say what is wrong
  // without a stack trace.
  const message =
    err instanceof ConfigurationError || err instanceof DataDirLockedError
      ? err.message
      : ((err as Error).stack ?? String(err));
  process.stderr.write(`tron-usdt-manager failed to start: ${message}\n`);
  process.exit(1);
});
