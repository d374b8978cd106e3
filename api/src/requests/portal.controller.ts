import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator';
import { isPageOriginAllowed } from '../common/http/page-origin';
import { AppConfig } from '../config/app-config';
import { PortalInfoDto } from './dto/ticket-detail.dto';

@ApiTags('portal')
@Controller('portal')
export class PortalController {
  private readonly origins: ReadonlySet<string>;

  constructor(private readonly config: AppConfig) {
    this.origins = new Set(config.portalOrigins);
  }

  @Public()
  @Get()
  @ApiOperation({
    summary:
      "The company's support contact for the widget's Need help? block, the sign-in methods on, and whether the page may use the portal (public)",
    description:
      'Readable from any page (Access-Control-Allow-Origin: *), also one not in PORTAL_ORIGINS: the ' +
      'widget learns from originAllowed that its page was not added, which a refused CORS call cannot tell it.',
  })
  @ApiOkResponse({ type: PortalInfoDto })
  portal(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): PortalInfoDto {
    // Public, no credentials, nothing secret: every page may read it. The answer depends on Origin.
    void reply.header('access-control-allow-origin', '*');
    void reply.header('vary', 'Origin');
    return {
      support: {
        url: this.config.supportUrl ?? null,
        email: this.config.supportEmail ?? null,
        name: this.config.supportName,
      },
      signIn: { password: this.config.passwordLogin, siteToken: this.config.siteToken !== null },
      originAllowed: isPageOriginAllowed(this.origins, request),
    };
  }
}
