import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getConnectionToken } from '@nestjs/mongoose';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { CommandStartedEvent } from 'mongodb';
import type { Connection } from 'mongoose';
import type { Counter } from 'prom-client';

import { AllConfig } from '@app/config';

export const DATABASE_COMMANDS = 'mongodb_commands_total';

export const commandMetricProvider = makeCounterProvider({
  name: DATABASE_COMMANDS,
  help: 'Database commands sent, by command and collection (MONGODB_COMMAND_METRICS=true)',
  labelNames: ['command', 'collection'],
});

/** Handshakes and monitoring, not work the service asked for. */
const NOT_COUNTED = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'endSessions',
  'saslStart',
  'saslContinue',
]);

/**
 * Counts what the service asks of the database, per command and collection, from the driver's command
 * monitoring (which the connection turns on only with MONGODB_COMMAND_METRICS): how the benchmark tells
 * database commands per payout, and how an operator sees which collection a load goes to.
 */
@Injectable()
export class CommandMetrics implements OnModuleInit {
  constructor(
    @Inject(getConnectionToken()) private readonly connection: Connection,
    @InjectMetric(DATABASE_COMMANDS) private readonly commands: Counter<string>,
    private readonly config: ConfigService<AllConfig, true>,
  ) {}

  onModuleInit(): void {
    if (!this.config.getOrThrow('database', { infer: true }).commandMetrics) return;
    this.connection.getClient().on('commandStarted', (event: CommandStartedEvent) => {
      if (NOT_COUNTED.has(event.commandName)) return;
      const target: unknown = (event.command as Record<string, unknown>)[event.commandName];
      this.commands.inc({ command: event.commandName, collection: typeof target === 'string' ? target : '' });
    });
  }
}
