import { ApiProperty } from '@nestjs/swagger';

/** A file the customer uploaded, ready to be named in `attachmentIds` of a request or a reply. */
export class UploadedAttachmentDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Pass it in attachmentIds of POST tickets or POST tickets/:id/replies',
  })
  id!: string;

  @ApiProperty({ description: 'The file name as stored (sanitised)', example: 'statement-2026-05.pdf' })
  name!: string;

  @ApiProperty({ description: 'Bytes', example: 48213 })
  size!: number;

  @ApiProperty({ description: 'The media type the content was recognised as', example: 'application/pdf' })
  contentType!: string;
}

export class UploadedAttachmentsDto {
  @ApiProperty({ type: [UploadedAttachmentDto], description: 'One per file part, in the order sent' })
  attachments!: UploadedAttachmentDto[];
}

/** A file on the request or on a message of the conversation. */
export class MessageAttachmentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'screenshot.png' })
  name!: string;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Bytes; null when HubSpot did not say',
    example: 48213,
  })
  size!: number | null;

  @ApiProperty({ example: 'image/png' })
  contentType!: string;

  @ApiProperty({
    description:
      'GET it with the bearer token: /api/v1/tickets/:id/attachments/:attachmentId (streamed by the API; no HubSpot URL)',
    example: '/api/v1/tickets/12/attachments/3f0c1f9e-0c53-4a55-b1a4-6a3b8b1d0c2e',
  })
  downloadPath!: string;

  @ApiProperty({
    description:
      'true for raster images (PNG, JPEG, GIF, WebP), which the download serves inline and a page may show as a preview; everything else is served as a download',
  })
  inline!: boolean;
}

/** What a customer may attach (GET portal), so the widget can refuse a file before uploading it. */
export class AttachmentLimitsDto {
  @ApiProperty({ description: 'Files per message (request or reply): ATTACHMENTS_MAX_FILES', example: 10 })
  maxFiles!: number;

  @ApiProperty({ description: 'Bytes per file: ATTACHMENTS_MAX_BYTES', example: 26214400 })
  maxBytes!: number;

  @ApiProperty({
    description: 'Bytes of all files of one message together: ATTACHMENTS_MAX_TOTAL_BYTES',
    example: 52428800,
  })
  maxTotalBytes!: number;

  @ApiProperty({
    type: [String],
    description: 'ATTACHMENTS_TYPES: exact media types and families such as image/*',
    example: ['image/png', 'application/pdf'],
  })
  types!: string[];

  @ApiProperty({
    type: [String],
    description:
      "File name extensions of the exact types (without the dot), for a file picker's accept list; the content still decides",
    example: ['png', 'pdf'],
  })
  extensions!: string[];

  @ApiProperty({
    description: 'The allowed types as a person reads them, as refusals name them',
    example: 'PNG image, PDF document',
  })
  typesText!: string;
}
