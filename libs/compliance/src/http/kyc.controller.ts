import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiErrors, ErrorCode } from '@app/common';

import { KycAddressParams, KycViewDto, SetKycLevelDto } from '../dto/kyc.dto';
import { GetKycLevel } from '../use-cases/get-kyc-level';
import { SetKycLevel } from '../use-cases/set-kyc-level';
import { KycView, kycView } from '../use-cases/views';

@ApiTags('compliance')
@Controller('api/v1/tron/usdt/compliance/kyc')
@Roles('admin')
@ApiErrors(ErrorCode.INVALID_ADDRESS)
export class KycController {
  constructor(
    private readonly getKycLevel: GetKycLevel,
    private readonly setKycLevel: SetKycLevel,
  ) {}

  @Get(':address')
  @ApiOperation({ summary: 'KYC level of a counterparty address (`none` when nobody classified it)' })
  @ApiOkResponse({ type: KycViewDto })
  async get(@Param() params: KycAddressParams): Promise<KycView> {
    return kycView(await this.getKycLevel.execute(params.address));
  }

  @Put(':address')
  @ApiOperation({ summary: 'Record the KYC level of an address (audited with before and after)' })
  @ApiBody({
    type: SetKycLevelDto,
    examples: { verified: { value: { level: 'basic', note: 'ID checked' } } },
  })
  @ApiErrors(ErrorCode.WRITE_CONFLICT)
  @ApiOkResponse({ type: KycViewDto })
  async put(
    @Param() params: KycAddressParams,
    @Body() body: SetKycLevelDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<KycView> {
    return kycView(await this.setKycLevel.execute({ address: params.address, ...body }, caller));
  }
}
