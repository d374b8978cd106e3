import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { AppConfig } from '../config/app-config';
import { PortalInfoDto } from './dto/ticket-detail.dto';

@ApiTags('portal')
@Controller('portal')
export class PortalController {
  constructor(private readonly config: AppConfig) {}

  @Public()
  @Get()
  @ApiOperation({
    summary:
      "The company's support contact for the widget's Need help? block, and the sign-in methods on (public)",
  })
  @ApiOkResponse({ type: PortalInfoDto })
  portal(): PortalInfoDto {
    return {
      support: {
        url: this.config.supportUrl ?? null,
        email: this.config.supportEmail ?? null,
        name: this.config.supportName,
      },
      signIn: { password: this.config.passwordLogin, siteToken: this.config.siteToken !== null },
    };
  }
}
