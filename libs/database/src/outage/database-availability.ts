import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

/** Server types of a server that can take commands; `Unknown` is what the driver calls one it cannot reach. */
const UNREACHABLE = new Set(['Unknown', 'PossiblePrimary']);

/**
 * What the driver's own monitor last learned about the database: reachable or not. It checks every
 * heartbeat (2 s, see database.module.ts) on a connection of its own, so it notices a hung server even while
 * every request is stuck waiting on one.
 */
@Injectable()
export class DatabaseAvailability implements OnModuleInit {
  private unreachableSince: number | null = null;

  constructor(@Inject(getConnectionToken()) private readonly connection: Connection) {}

  onModuleInit(): void {
    const client = this.connection.getClient();
    client.on('serverHeartbeatFailed', () => this.markUnreachable());
    client.on('serverHeartbeatSucceeded', () => this.markReachable());
    client.on('serverDescriptionChanged', (event) => {
      if (UNREACHABLE.has(event.newDescription.type)) this.markUnreachable();
      else this.markReachable();
    });
  }

  /** True while the monitor's last word was that the database does not answer. */
  get unreachable(): boolean {
    return this.unreachableSince !== null;
  }

  private markUnreachable(): void {
    this.unreachableSince ??= Date.now();
  }

  private markReachable(): void {
    this.unreachableSince = null;
  }
}
