import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/auth';
import { ApiErrors, ErrorCode } from '@app/common';

import { EmergencyStopDto, ResumeDto } from '../dto/decision.dto';
import { EmergencyStateDto, ResumeOutcomeDto } from '../dto/emergency-view.dto';
import { EmergencyState } from '../emergency/emergency-state.repository';
import { EmergencyStop } from '../emergency/emergency-stop';

@ApiTags('admin')
@Roles('admin')
@Controller('api/v1/tron/usdt/admin')
export class EmergencyController {
  constructor(private readonly emergency: EmergencyStop) {}

  @Get('emergency-stop')
  @ApiOperation({ summary: 'Whether the emergency stop is active, why, and who asked to resume' })
  @ApiOkResponse({ type: EmergencyStateDto })
  async state() {
    return view(await this.emergency.state());
  }

  @Post('emergency-stop')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Halt all signing and broadcasting on every instance at once (any admin)' })
  @ApiBody({ type: EmergencyStopDto, examples: { stop: { value: { reason: 'suspected key compromise' } } } })
  @ApiOkResponse({ type: EmergencyStateDto })
  @ApiErrors(ErrorCode.INVALID_STATE, ErrorCode.WRITE_CONFLICT)
  async stop(@Body() body: EmergencyStopDto, @CurrentUser() caller: AuthUser) {
    return view(await this.emergency.stop(caller, body.reason));
  }

  @Post('resume')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Ask to resume; signing resumes when enough distinct admins have asked' })
  @ApiBody({ type: ResumeDto, examples: { resume: { value: { comment: 'keys rotated' } } } })
  @ApiOkResponse({ type: ResumeOutcomeDto })
  @ApiErrors(ErrorCode.INVALID_STATE, ErrorCode.WRITE_CONFLICT)
  async resume(@Body() body: ResumeDto, @CurrentUser() caller: AuthUser) {
    const outcome = await this.emergency.requestResume(caller, body.comment);
    return { ...view(outcome.state), resumed: outcome.resumed, votesNeeded: outcome.votesNeeded };
  }
}

export function view(state: EmergencyState) {
  return {
    active: state.active,
    reason: state.reason ?? null,
    stoppedBy: state.stoppedBy ?? null,
    stoppedAt: state.stoppedAt ?? null,
    resumeVotes: state.resumeVotes,
    resumedAt: state.resumedAt ?? null,
  };
}
