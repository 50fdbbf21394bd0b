import { Controller, Get } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { EmergencyStop } from '@app/approvals';
import { Public } from '@app/auth';
import { serviceInfo } from '@app/common';
import { AllConfig } from '@app/config';
import { DatabaseEngine } from '@app/database';
import { TronNetwork } from '@app/tron';
import { ResolveWallet } from '@app/wallets';

import { ServiceRootDto, ServiceStatusDto } from './dto/probe-views.dto';
import { TronNodeState } from './node/tron-node-state';
import { ShutdownState } from './shutdown-state';

@ApiTags('operations')
@Public()
@Controller()
export class StatusController {
  constructor(
    private readonly config: ConfigService<AllConfig, true>,
    private readonly engine: DatabaseEngine,
    private readonly shutdown: ShutdownState,
    private readonly network: TronNetwork,
    private readonly wallets: ResolveWallet,
    private readonly emergency: EmergencyStop,
    private readonly node: TronNodeState,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Service information and where to go next' })
  @ApiOkResponse({ type: ServiceRootDto })
  root() {
    const info = serviceInfo();
    return {
      service: info.name,
      description: info.description,
      version: info.version,
      api: '/api/v1/tron/usdt',
      docs: '/docs',
      health: { all: '/health', live: '/health/live', ready: '/health/ready' },
      status: '/status',
      metrics: '/metrics',
    };
  }

  @Get('status')
  @ApiOperation({ summary: 'Version, uptime, environment, database, TRON network and hot wallet addresses' })
  @ApiOkResponse({ type: ServiceStatusDto })
  async status() {
    const info = serviceInfo();
    // Picked field by field from info(), which already strips credentials from host URLs: a field added to
    // it later must not reach this public endpoint without a decision.
    const { name, fullHost, solidityHost, eventHost, usdtContract, multicallContract } = this.network.info();
    return {
      service: info.name,
      version: info.version,
      environment: this.config.getOrThrow('app.nodeEnv', { infer: true }),
      uptimeSeconds: Math.round(process.uptime()),
      startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
      shuttingDown: this.shutdown.isShuttingDown,
      database: {
        engine: this.engine.kind,
        name: this.config.getOrThrow('database.dbName', { infer: true }),
      },
      network: {
        name,
        fullHost,
        solidityHost,
        eventHost,
        usdtContract,
        multicallContract: multicallContract ?? null,
      },
      tronNode: await this.tronNode(),
      hotWallets: await this.hotWallets(),
      disabledWallets: await this.disabledWallets(),
      emergencyStop: await this.emergencyStop(),
    };
  }

  /** Whether outgoing operations are halted and since when; the reason is for admins (GET /admin/emergency-stop). */
  private async emergencyStop(): Promise<{ active: boolean; since: Date | null } | null> {
    try {
      const state = await this.emergency.state();
      return { active: state.active, since: state.active ? (state.stoppedAt ?? null) : null };
    } catch {
      return null;
    }
  }

  /** Whether payments can progress: the node answers and its head advances; the reason when not. */
  private async tronNode() {
    const node = await this.node.snapshot();
    return {
      up: node.up,
      reason: node.reason ?? null,
      headNumber: node.headNumber,
      headAgeMs: node.headAgeMs,
      checkedAt: new Date(node.checkedAt).toISOString(),
    };
  }

  /** Wallets admins took out of service, with why and since when (the reason names no secret). */
  private async disabledWallets(): Promise<Array<{
    address: string;
    label: string;
    reason: string | null;
    since: Date | null;
    enableVotes: number;
  }> | null> {
    try {
      return (await this.wallets.disabledWallets()).map((wallet) => ({
        address: wallet.address,
        label: wallet.label,
        reason: wallet.control?.reason ?? null,
        since: wallet.control?.disabledAt ?? null,
        enableVotes: wallet.control?.enableVotes.length ?? 0,
      }));
    } catch {
      return null;
    }
  }

  /** null when the database cannot be read: /status is what operators open during an outage, so it answers. */
  private async hotWallets(): Promise<string[] | null> {
    try {
      return await this.wallets.hotWalletAddresses();
    } catch {
      return null;
    }
  }
}
