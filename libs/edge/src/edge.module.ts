import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';

import { AuthModule } from '@app/auth';

import { IpAllowlistGuard } from './ip-allowlist/ip-allowlist.guard';
import { RateLimitsModule } from './rate-limits/rate-limits.module';

/**
 * Edge protection around authentication. Global guards run in the order their modules are registered, so
 * this module imports AuthModule between its two guards; with EdgeModule imported before (or instead of)
 * AuthModule the order is:
 *   1. IP allow-lists (a refused network learns nothing, not even whether its token is valid),
 *   2. JWT authentication, 3. roles (AuthModule),
 *   4. rate limits, which need the authenticated subject to count per caller.
 * The policies (limits, allow-lists) come from the global PolicyStore.
 */
@Module({
  imports: [AuthModule, RateLimitsModule],
  providers: [{ provide: APP_GUARD, useClass: IpAllowlistGuard }],
})
export class EdgeModule {}
