import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Roles } from '@app/auth';
import { ApiErrors, ErrorCode } from '@app/common';

import { WalletListing } from './domain/wallet';
import { ImportWalletDto } from './dto/import-wallet.dto';
import { WalletListingDto } from './dto/wallet-listing.dto';
import { ImportWallet } from './use-cases/import-wallet';
import { ListWallets } from './use-cases/list-wallets';

@ApiTags('wallets')
@Controller('api/v1/tron/usdt/wallets')
export class WalletsController {
  constructor(
    private readonly listWallets: ListWallets,
    private readonly importWallet: ImportWallet,
  ) {}

  @Get()
  @Roles('viewer')
  @ApiOperation({ summary: 'Hot wallets with live balances; never any key' })
  @ApiOkResponse({ type: [WalletListingDto] })
  list(): Promise<WalletListing[]> {
    return this.listWallets.execute({ balances: true });
  }

  @Post()
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ type: WalletListingDto, description: 'The imported wallet; the key is not echoed' })
  @ApiOperation({ summary: 'Import a hot wallet key (stored encrypted); 409 if address or label exist' })
  @ApiBody({
    type: ImportWalletDto,
    examples: { wallet: { value: { privateKey: '1'.repeat(64), label: 'payouts-2' } } },
  })
  @ApiErrors(ErrorCode.WRITE_CONFLICT, ErrorCode.CONFIGURATION, ErrorCode.SIGNING_FAILED)
  import(@Body() body: ImportWalletDto): Promise<WalletListing> {
    return this.importWallet.execute({ privateKey: body.privateKey, label: body.label });
  }
}
