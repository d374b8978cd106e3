import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentAuth } from '../auth/current-auth.decorator';
import type { AuthContext } from '../auth/session.service';
import { AttachmentUploadService } from './attachment-upload.service';
import { AttachmentsService } from './attachments.service';
import { UploadedAttachmentsDto } from './dto/attachment.dto';

export const UPLOAD_ROUTE = 'attachments';
export const DOWNLOAD_ROUTE = 'tickets/:id/attachments/:attachmentId';

@ApiTags('attachments')
@ApiBearerAuth()
@Controller()
export class AttachmentsController {
  constructor(
    private readonly uploads: AttachmentUploadService,
    private readonly attachments: AttachmentsService,
  ) {}

  @Post(UPLOAD_ROUTE)
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Upload files for a request or reply: multipart/form-data, one file per part; then name their ids in attachmentIds',
    description:
      'Limits are set by the site operator (ATTACHMENTS_MAX_FILES, ATTACHMENTS_MAX_BYTES per file, ATTACHMENTS_MAX_TOTAL_BYTES per message, ATTACHMENTS_TYPES); the message of a refusal names the limit. The type is recognised from the content; a file whose name or declared type disagrees with it is refused. Uploads not attached within ATTACHMENTS_STAGED_TTL_HOURS (24) are deleted.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'array', items: { type: 'string', format: 'binary' } } },
    },
  })
  @ApiCreatedResponse({ type: UploadedAttachmentsDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: no file, an empty file, or too many files' })
  @ApiPayloadTooLargeResponse({
    description: 'PAYLOAD_TOO_LARGE: a file or all of them together are too large',
  })
  @ApiUnsupportedMediaTypeResponse({
    description:
      'UNSUPPORTED_MEDIA_TYPE: a type that is not allowed, or content that is not what the file says',
  })
  async upload(
    @CurrentAuth() auth: AuthContext,
    @Req() request: FastifyRequest,
  ): Promise<UploadedAttachmentsDto> {
    return { attachments: await this.uploads.upload(auth.customerId, request) };
  }

  @Get(DOWNLOAD_ROUTE)
  @ApiOperation({
    summary: "Download a file of the ticket's request or conversation (streamed through the API)",
    description:
      'Raster images (PNG, JPEG, GIF, WebP) are served inline, everything else with Content-Disposition: attachment; always with X-Content-Type-Options: nosniff and a sandboxing Content-Security-Policy.',
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({
    description: 'TICKET_NOT_FOUND or NOT_FOUND: no such ticket or file in this account',
  })
  async download(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.attachments.download(auth.customerId, id, attachmentId);
    void reply
      .status(200)
      .header('content-type', file.contentType)
      .header(
        'content-disposition',
        contentDisposition(file.name, { type: file.inline ? 'inline' : 'attachment' }),
      )
      .header('x-content-type-options', 'nosniff')
      // Opened directly, the file is a sandboxed document that can load and run nothing.
      .header(
        'content-security-policy',
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
      )
      .header('cache-control', 'private, no-store');
    if (file.size !== null) void reply.header('content-length', String(file.size));
    await reply.send(file.stream);
  }
}
