import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

/**
 * What the driver's own monitor last learned about the database: whether any server can take our commands
 * (a standalone, a primary or a mongos: every read and write of ours goes to one). It checks every heartbeat
 * (2 s, see database.module.ts) on a connection of its own, so it notices a hung server even while every
 * request is stuck waiting on one. A replica set that loses a secondary stays reachable.
 */
@Injectable()
export class DatabaseAvailability implements OnModuleInit {
  private reachable = true;

  constructor(@Inject(getConnectionToken()) private readonly connection: Connection) {}

  onModuleInit(): void {
    this.connection.getClient().on('topologyDescriptionChanged', (event) => {
      this.reachable = [...event.newDescription.servers.values()].some((server) => server.isWritable);
    });
  }

  /** True while the monitor's last word was that no server answers. */
  get unreachable(): boolean {
    return !this.reachable;
  }
}
