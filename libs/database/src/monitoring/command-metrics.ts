import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getConnectionToken } from '@nestjs/mongoose';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent } from 'mongodb';
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

/** A command slower than this is logged with its shape (field names only, never values). */
export const SLOW_COMMAND_MS = 500;

/**
 * Counts what the service asks of the database, per command and collection, from the driver's command
 * monitoring (which the connection turns on only with MONGODB_COMMAND_METRICS): how the benchmark tells
 * database commands per payout, and how an operator sees which collection a load goes to. Slow commands are
 * logged with the fields they filter on, which tells which query lacks an index.
 */
@Injectable()
export class CommandMetrics implements OnModuleInit {
  private readonly logger = new Logger('Database');
  /** Started commands by request id, for the slow-command log. */
  private readonly started = new Map<number, { command: string; collection: string; shape: string }>();

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
      const collection = typeof target === 'string' ? target : '';
      this.commands.inc({ command: event.commandName, collection });
      this.started.set(event.requestId, {
        command: event.commandName,
        collection,
        shape: shapeOf(event.command),
      });
    });
    const finished = (event: CommandSucceededEvent | CommandFailedEvent) => {
      const command = this.started.get(event.requestId);
      this.started.delete(event.requestId);
      if (command && event.duration >= SLOW_COMMAND_MS) {
        this.logger.warn({ ...command, ms: event.duration }, 'slow database command');
      }
    };
    this.connection.getClient().on('commandSucceeded', finished);
    this.connection.getClient().on('commandFailed', finished);
  }
}

/** The field names a command filters and sorts on (`find {status,wallet} sort {createdAt}`), no values. */
function shapeOf(command: Record<string, unknown>): string {
  const keys = (value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? `{${Object.keys(value).join(',')}}` : '';
  const stages = Array.isArray(command.pipeline)
    ? command.pipeline.map((stage: Record<string, unknown>) => {
        const [name] = Object.keys(stage);
        return `${name}${name === '$match' ? keys(stage[name]) : ''}`;
      })
    : [];
  return [
    command.filter && `filter ${keys(command.filter)}`,
    command.query && `query ${keys(command.query)}`,
    Array.isArray(command.updates) && `update ${keys((command.updates[0] as { q?: unknown })?.q)}`,
    Array.isArray(command.deletes) && `delete ${keys((command.deletes[0] as { q?: unknown })?.q)}`,
    command.sort && `sort ${keys(command.sort)}`,
    stages.length && `pipeline ${stages.join(' ')}`,
  ]
    .filter(Boolean)
    .join(' ');
}
