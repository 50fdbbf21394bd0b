import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { Roles } from '@app/auth';

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
  @ApiOkResponse({ type: [WalletListingDto], description: 'Hot wallets with live balances; never any key' })
  list(): Promise<WalletListing[]> {
    return this.listWallets.execute({ balances: true });
  }

  @Post()
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ type: WalletListingDto, description: 'The imported wallet; the key is not echoed' })
  @ApiConflictResponse({ description: 'USDT_ERR_601: the address or the label is already registered' })
  import(@Body() body: ImportWalletDto): Promise<WalletListing> {
    return this.importWallet.execute({ privateKey: body.privateKey, label: body.label });
  }
}
