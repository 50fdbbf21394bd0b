import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiErrors, ErrorCode, TRON_ADDRESS_SCHEMA } from '@app/common';
import { Wallet } from '@app/wallets';

import {
  DisableWalletDto,
  EnableOutcomeDto,
  EnableWalletDto,
  WalletControlViewDto,
} from '../dto/wallet-control.dto';

/**
 * `:address` of one of our hot wallets. `hot-wallet-address` says that any other address, however well
 * formed, is refused (USDT_ERR_100 "no hot wallet with this address"), which a pattern cannot say.
 */
const HOT_WALLET_ADDRESS = {
  name: 'address',
  description: 'Base58 address of one of our hot wallets',
  // No example: the shared one is not a hot wallet of this instance.
  schema: {
    type: 'string' as const,
    pattern: TRON_ADDRESS_SCHEMA.pattern,
    minLength: TRON_ADDRESS_SCHEMA.minLength,
    maxLength: TRON_ADDRESS_SCHEMA.maxLength,
    format: 'hot-wallet-address',
  },
};

/** A malformed or unknown address, a wallet changed concurrently. */
const WALLET_CONTROL_ERRORS = [
  ErrorCode.INVALID_ADDRESS,
  ErrorCode.VALIDATION_FAILED,
  ErrorCode.WRITE_CONFLICT,
];
import { WalletControls } from '../wallets/wallet-controls';

@ApiTags('wallets')
@Roles('admin')
@Controller('api/v1/tron/usdt/wallets')
export class WalletControlsController {
  constructor(private readonly controls: WalletControls) {}

  @Post(':address/disable')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Stop one hot wallet signing at once (any admin); its queued payouts wait, new ones are refused',
  })
  @ApiParam(HOT_WALLET_ADDRESS)
  @ApiBody({
    type: DisableWalletDto,
    examples: { leak: { value: { reason: 'key may have leaked; rotating' } } },
  })
  @ApiOkResponse({ type: WalletControlViewDto, description: 'Disabled (or already was)' })
  @ApiErrors(...WALLET_CONTROL_ERRORS)
  async disable(
    @Param('address') address: string,
    @Body() body: DisableWalletDto,
    @CurrentUser() caller: AuthUser,
  ) {
    return view(await this.controls.disable(caller, address, body.reason));
  }

  @Post(':address/enable')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Ask to enable a disabled wallet; it signs again when enough distinct admins have asked',
  })
  @ApiParam(HOT_WALLET_ADDRESS)
  @ApiBody({ type: EnableWalletDto, examples: { rotated: { value: { comment: 'key rotated, checked' } } } })
  @ApiOkResponse({ type: EnableOutcomeDto, description: 'Vote counted; `enabled` once the quorum is met' })
  @ApiErrors(...WALLET_CONTROL_ERRORS, ErrorCode.INVALID_STATE)
  async enable(
    @Param('address') address: string,
    @Body() body: EnableWalletDto,
    @CurrentUser() caller: AuthUser,
  ) {
    const outcome = await this.controls.requestEnable(caller, address, body.comment);
    return { ...view(outcome.wallet), enabled: outcome.enabled, votesNeeded: outcome.votesNeeded };
  }
}

function view(wallet: Wallet): WalletControlViewDto {
  const control = wallet.disabled ? wallet.control : undefined;
  return {
    address: wallet.address,
    label: wallet.label,
    disabled: wallet.disabled,
    disabledReason: control?.reason ?? null,
    disabledBy: control?.disabledBy ?? null,
    disabledAt: control?.disabledAt?.toISOString() ?? null,
    enableVotes: (control?.enableVotes ?? []).map((vote) => vote.by),
  };
}
