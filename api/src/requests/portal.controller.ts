import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeAllowed, extensionsOf } from '../attachments/attachment-types';
import { Public } from '../auth/public.decorator';
import { isPageOriginAllowed } from '../common/http/page-origin';
import { AppConfig } from '../config/app-config';
import type { AttachmentLimitsDto } from '../attachments/dto/attachment.dto';
import { PortalInfoDto } from './dto/ticket-detail.dto';

@ApiTags('portal')
@Controller('portal')
export class PortalController {
  private readonly origins: ReadonlySet<string>;
  private readonly attachments: AttachmentLimitsDto;

  constructor(private readonly config: AppConfig) {
    this.origins = new Set(config.portalOrigins);
    const { maxFiles, maxBytes, maxTotalBytes, types } = config.attachments;
    this.attachments = {
      maxFiles,
      maxBytes,
      maxTotalBytes,
      types: [...types],
      extensions: extensionsOf(types),
      typesText: describeAllowed(types),
    };
  }

  @Public()
  @Get()
  @ApiOperation({
    summary:
      "The company's support contact for the widget's Need help? block, the sign-in methods on, whether the page may use the portal, and the attachment limits (public)",
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
      // So the widget can name a limit before the upload rather than after it.
      attachments: this.attachments,
    };
  }
}
