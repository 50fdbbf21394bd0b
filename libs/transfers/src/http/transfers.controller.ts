import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';

import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiErrors, ErrorCatalogue, ErrorCode, formatUsdtAmount, SuccessCode } from '@app/common';

import { toTransferView } from '../domain/transfer-view';
import {
  CancelTransferDto,
  CreateApproveDto,
  CreateBatchDto,
  CreateTransferDto,
} from '../dto/operation-requests.dto';
import { ListTransfersQuery, StatsQuery } from '../dto/list-transfers.query';
import { STATS_MODELS, StatsDto } from '../dto/stats-view.dto';
import { TransferIdParams } from '../dto/transfer-id.params';
import {
  BatchResultDto,
  OperationResultDto,
  TransferPageDto,
  TransferViewDto,
} from '../dto/transfer-view.dto';
import { CancelTransfer } from '../use-cases/cancel-transfer';
import { QueryTransfers } from '../use-cases/query-transfers';
import { RequestBatch } from '../use-cases/request-batch';
import { OperationResult, RequestOperation } from '../use-cases/request-operation';
import { TransferStats } from '../use-cases/transfer-stats';
import { ApiIdempotencyKey, IdempotencyKey } from './idempotency-key.decorator';

/** What intake can refuse an operation for, after validation: governance, storage, the paying wallet. */
const INTAKE_ERRORS = [
  ErrorCode.INVALID_ADDRESS,
  ErrorCode.INVALID_AMOUNT,
  ErrorCode.DESTINATION_NOT_ALLOWED,
  ErrorCode.WALLET_DISABLED,
  ErrorCode.LIMIT_EXCEEDED,
  ErrorCode.COMPLIANCE_BLOCKED,
  ErrorCode.EMERGENCY_STOP,
  ErrorCode.WRITE_CONFLICT,
  ErrorCode.WRITE_FAILED,
  ErrorCode.SIGNING_FAILED,
  ErrorCode.NODE_UNAVAILABLE,
];

const TRANSFER_EXAMPLE = {
  to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
  amount: '12.5',
  memo: 'December payout',
  reference: 'invoice-2026-0042',
};

@ApiTags('transfers')
@ApiExtraModels(...STATS_MODELS)
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
  @Roles('operator')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Pay USDT out: 202 accepted (USDT_002/003), 200 on an idempotent replay (USDT_005)',
  })
  @ApiBody({ type: CreateTransferDto, examples: { payout: { value: TRANSFER_EXAMPLE } } })
  @ApiAcceptedResponse({
    type: OperationResultDto,
    description: 'USDT_002 queued or USDT_003 pending approval',
  })
  @ApiOkResponse({ type: OperationResultDto, description: 'USDT_005: replay of the original request' })
  @ApiErrors(...INTAKE_ERRORS)
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
  @Roles('operator')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Grant a TRC-20 allowance through the same pipeline and policies as a transfer' })
  @ApiBody({
    type: CreateApproveDto,
    examples: { allowance: { value: { spender: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', amount: '1000' } } },
  })
  @ApiAcceptedResponse({
    type: OperationResultDto,
    description: 'USDT_002 queued or USDT_003 pending approval',
  })
  @ApiOkResponse({ type: OperationResultDto, description: 'USDT_005: replay of the original request' })
  @ApiErrors(...INTAKE_ERRORS)
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
  @Roles('operator')
  @ApiIdempotencyKey()
  @ApiBody({
    type: CreateBatchDto,
    examples: {
      twoPayouts: {
        value: {
          items: [
            { to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', amount: '10', reference: 'payroll-1' },
            { to: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8', amount: '20.5', reference: 'payroll-2' },
          ],
        },
      },
    },
  })
  @ApiAcceptedResponse({ type: BatchResultDto, description: 'USDT_002 queued or USDT_003 pending approval' })
  @ApiOkResponse({ type: BatchResultDto, description: 'USDT_005: replay of the original request' })
  @ApiErrors(...INTAKE_ERRORS)
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
  @ApiOkResponse({ type: TransferPageDto })
  @ApiErrors(ErrorCode.INVALID_ADDRESS, ErrorCode.INVALID_QUERY)
  async list(@Query() q: ListTransfersQuery) {
    const page = await this.query.list({ ...q, limit: q.limit ?? 50 });
    return { items: page.items.map(toTransferView), nextCursor: page.nextCursor };
  }

  @Get('transfers/:id')
  @Roles('viewer')
  @ApiOperation({ summary: 'One transfer or approve' })
  @ApiOkResponse({ type: TransferViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.TRANSFER_NOT_FOUND)
  async get(@Param() { id }: TransferIdParams) {
    return toTransferView(await this.query.get(id));
  }

  @Post('transfers/:id/cancel')
  @Roles('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel before signing (the requester or an admin)' })
  @ApiBody({ type: CancelTransferDto, examples: { cancel: { value: { reason: 'duplicate payout' } } } })
  @ApiOkResponse({ type: TransferViewDto, description: 'The cancelled transfer' })
  @ApiErrors(ErrorCode.TRANSFER_NOT_FOUND, ErrorCode.INVALID_STATE, ErrorCode.WRITE_CONFLICT)
  async cancel(
    @Param() { id }: TransferIdParams,
    @Body() body: CancelTransferDto,
    @CurrentUser() caller: AuthUser,
  ) {
    return toTransferView(await this.cancelTransfer.execute(id, caller, body.reason));
  }

  @Get('stats')
  @Roles('viewer')
  @ApiOperation({ summary: 'Counts and volumes by status and day, in-flight work, hot wallet balances' })
  @ApiOkResponse({ type: StatsDto })
  @ApiErrors(ErrorCode.INVALID_QUERY)
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
