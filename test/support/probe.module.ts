import { Body, Controller, Get, Module, Post, Query } from '@nestjs/common';
import { Type as TransformType } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { CurrentUser, Public, Roles } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { IsTronAddress, IsUsdtAmount } from '@app/common';

import { AppModule } from '../../apps/usdt-manager/src/app.module';

class ProbeTransferDto {
  @IsTronAddress() to!: string;
  @IsUsdtAmount() amount!: string;
}

class ProbeQueryDto {
  @IsOptional() @TransformType(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}

/** Routes that exist only in tests, to exercise guards, validation and the error filter from outside. */
@Controller('probe')
class ProbeController {
  @Get('viewer')
  viewer(@CurrentUser() user: AuthUser) {
    return { sub: user.sub, roles: user.roles };
  }

  @Get('operator')
  @Roles('operator')
  operator() {
    return { ok: true };
  }

  @Get('admin')
  @Roles('admin')
  admin() {
    return { ok: true };
  }

  @Public()
  @Get('boom')
  boom(): never {
    throw new Error('database password hunter2 at /srv/internal/path');
  }

  @Public()
  @Post('transfer')
  transfer(@Body() body: ProbeTransferDto) {
    return body;
  }

  @Public()
  @Get('list')
  list(@Query() query: ProbeQueryDto) {
    return query;
  }
}

@Module({ imports: [AppModule], controllers: [ProbeController] })
export class ProbeAppModule {}
