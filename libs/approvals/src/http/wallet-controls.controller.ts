import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { Wallet } from '@app/wallets';

import {
  DisableWalletDto,
  EnableOutcomeDto,
  EnableWalletDto,
  ErrorResponseDto,
  WalletControlViewDto,
} from '../dto/wallet-control.dto';
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
  @ApiParam({ name: 'address', description: 'Base58 address of the hot wallet' })
  @ApiResponse({ status: 200, type: WalletControlViewDto, description: 'Disabled (or already was)' })
  @ApiResponse({ status: 400, type: ErrorResponseDto, description: 'USDT_ERR_100: no such hot wallet' })
  @ApiResponse({ status: 403, type: ErrorResponseDto, description: 'USDT_ERR_501: admins only' })
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
  @ApiParam({ name: 'address', description: 'Base58 address of the hot wallet' })
  @ApiResponse({
    status: 200,
    type: EnableOutcomeDto,
    description: 'Vote counted; `enabled` once the quorum is met',
  })
  @ApiResponse({ status: 400, type: ErrorResponseDto, description: 'USDT_ERR_100: no such hot wallet' })
  @ApiResponse({ status: 403, type: ErrorResponseDto, description: 'USDT_ERR_501: admins only' })
  @ApiResponse({
    status: 409,
    type: ErrorResponseDto,
    description: 'USDT_ERR_203: not disabled, or this admin already asked',
  })
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
