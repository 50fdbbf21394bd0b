import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ErrorCatalogue, formatUsdtAmount, SuccessCode } from '@app/common';

import { toTransferView } from '../domain/transfer-view';
import {
  CancelTransferDto,
  CreateApproveDto,
  CreateBatchDto,
  CreateTransferDto,
} from '../dto/operation-requests.dto';
import { ListTransfersQuery, StatsQuery } from '../dto/list-transfers.query';
import { CancelTransfer } from '../use-cases/cancel-transfer';
import { QueryTransfers } from '../use-cases/query-transfers';
import { RequestBatch } from '../use-cases/request-batch';
import { OperationResult, RequestOperation } from '../use-cases/request-operation';
import { TransferStats } from '../use-cases/transfer-stats';
import { IdempotencyKey } from './idempotency-key.decorator';

/** Refusals of a destination that must not be paid by accident, on every route that names one. */
const DESTINATION_NOT_ALLOWED = {
  status: 422,
  description:
    'USDT_ERR_107 destination not allowed (details say why): a contract account, one of our own hot ' +
    'wallets without internal: true, or internal: true for an outside address; USDT_ERR_701/702 limits ' +
    'and compliance',
};

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: true,
  description: 'Unique per operation (8-128 of [A-Za-z0-9_.:-]); repeating it replays the original result',
};

@ApiTags('transfers')
@Controller('api/v1/tron/usdt')
export class TransfersController {
  constructor(
    private readonly requestOperation: RequestOperation,
    private readonly requestBatch: RequestBatch,
    private readonly cancelTransfer: CancelTransfer,
    private readonly query: QueryTransfers,
    private readonly stats: TransferStats,
    private readonly catalogue: ErrorCatalogue,
  ) {}

  @Post('transfer')
  @ApiResponse(DESTINATION_NOT_ALLOWED)
  @Roles('operator')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary: 'Pay USDT out: 202 accepted (USDT_002/003), 200 on an idempotent replay (USDT_005)',
  })
  async transfer(
    @Body() body: CreateTransferDto,
    @IdempotencyKey() idempotencyKey: string,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(
      res,
      await this.requestOperation.execute({ kind: 'transfer', caller, idempotencyKey, ...body }),
    );
  }

  @Post('approve')
  @ApiResponse(DESTINATION_NOT_ALLOWED)
  @Roles('operator')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Grant a TRC-20 allowance through the same pipeline and policies as a transfer' })
  async approve(
    @Body() body: CreateApproveDto,
    @IdempotencyKey() idempotencyKey: string,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { spender, ...rest } = body;
    return this.respond(
      res,
      await this.requestOperation.execute({ kind: 'approve', caller, idempotencyKey, to: spender, ...rest }),
    );
  }

  @Post('transfers/batch')
  @ApiResponse(DESTINATION_NOT_ALLOWED)
  @Roles('operator')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary:
      'Many payouts as one request, accepted whole or not at all (refused items are listed by index); ' +
      'a batch at or above the batch threshold is approved as a whole',
  })
  async batch(
    @Body() body: CreateBatchDto,
    @IdempotencyKey() idempotencyKey: string,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { batchId, transfers, replay } = await this.requestBatch.execute({
      caller,
      idempotencyKey,
      wallet: body.wallet,
      items: body.items,
    });
    const code = replay
      ? SuccessCode.IDEMPOTENT_REPLAY
      : transfers.some((t) => t.status === 'pending_approval')
        ? SuccessCode.PENDING_APPROVAL
        : SuccessCode.ACCEPTED;
    res.status(this.catalogue.success(code).httpStatus);
    const totalRaw = transfers.reduce((sum, t) => sum + t.amountRaw, 0n);
    return {
      code,
      batchId,
      count: transfers.length,
      total: formatUsdtAmount(totalRaw),
      totalRaw: totalRaw.toString(),
      items: transfers.map(toTransferView),
    };
  }

  @Get('transfers')
  @Roles('viewer')
  @ApiOperation({ summary: 'Transfers and approves, newest first, with cursor pagination' })
  async list(@Query() q: ListTransfersQuery) {
    const page = await this.query.list({ ...q, limit: q.limit ?? 50 });
    return { items: page.items.map(toTransferView), nextCursor: page.nextCursor };
  }

  @Get('transfers/:id')
  @Roles('viewer')
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    return toTransferView(await this.query.get(id));
  }

  @Post('transfers/:id/cancel')
  @Roles('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel before signing (the requester or an admin)' })
  async cancel(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CancelTransferDto,
    @CurrentUser() caller: AuthUser,
  ) {
    return toTransferView(await this.cancelTransfer.execute(id, caller, body.reason));
  }

  @Get('stats')
  @Roles('viewer')
  @ApiOperation({ summary: 'Counts and volumes by status and day, in-flight work, hot wallet balances' })
  getStats(@Query() q: StatsQuery) {
    return this.stats.execute(q.days ?? 30);
  }

  /** 202 USDT_002/003 for a new operation, 200 USDT_005 for a replay: statuses from the catalogue. */
  private respond(res: Response, result: OperationResult) {
    const { transfer, replay } = result;
    const code = replay
      ? SuccessCode.IDEMPOTENT_REPLAY
      : transfer.status === 'pending_approval'
        ? SuccessCode.PENDING_APPROVAL
        : SuccessCode.ACCEPTED;
    res.status(this.catalogue.success(code).httpStatus);
    return { ...toTransferView(transfer), code };
  }
}
