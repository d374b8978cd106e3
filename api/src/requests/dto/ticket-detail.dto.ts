import { ApiProperty } from '@nestjs/swagger';
import { AttachmentLimitsDto, MessageAttachmentDto } from '../../attachments/dto/attachment.dto';
import { TicketListItemDto } from '../../tickets/dto/ticket-list.dto';

export class OptionDto {
  @ApiProperty({ description: "HubSpot's internal option value", example: 'HIGH' })
  value!: string;

  @ApiProperty({ example: 'High' })
  label!: string;
}

export class MessageAuthorDto {
  @ApiProperty({ type: String, nullable: true, example: 'Sam Rivera' })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'sam@support.example.com' })
  email!: string | null;
}

export class TicketMessageDto {
  @ApiProperty({ description: "The portal's id of the message", example: '381' })
  id!: string;

  @ApiProperty({ enum: ['customer', 'support'] })
  from!: 'customer' | 'support';

  @ApiProperty({ type: MessageAuthorDto })
  author!: MessageAuthorDto;

  @ApiProperty({ format: 'date-time' })
  sentAt!: string;

  @ApiProperty({
    description:
      'Sanitized on the server to p br b strong i em u a[href http/https/mailto, rel and target forced] ul ol li blockquote pre code; no style, script, handlers, images, frames or forms',
  })
  html!: string;

  @ApiProperty({ description: 'The same message as plain text' })
  text!: string;

  @ApiProperty({ enum: ['synced', 'pending', 'failed'] })
  syncState!: 'synced' | 'pending' | 'failed';

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why HubSpot refused it, when syncState is failed',
  })
  syncError!: string | null;

  @ApiProperty({ type: [MessageAttachmentDto], description: 'Files sent with the message' })
  attachments!: MessageAttachmentDto[];
}

export class TicketPersonDto {
  @ApiProperty({ type: String, nullable: true, example: 'Alex Morgan' })
  name!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'alex@example.com',
    description: 'null while HubSpot has no email for the contact (or it is not mirrored yet)',
  })
  email!: string | null;

  @ApiProperty({
    enum: ['requester', 'cc'],
    description: '`requester`: the primary contact ("Requested By"); `cc`: a colleague in copy',
  })
  role!: 'requester' | 'cc';

  @ApiProperty({
    enum: ['synced', 'pending'],
    description: '`pending`: added in the portal, on its way to HubSpot',
  })
  syncState!: 'synced' | 'pending';
}

export class TicketDetailDto extends TicketListItemDto {
  @ApiProperty({ type: String, nullable: true, description: 'Plain text' })
  description!: string | null;

  @ApiProperty({ type: OptionDto, nullable: true })
  priority!: OptionDto | null;

  @ApiProperty({ type: OptionDto, nullable: true })
  category!: OptionDto | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why HubSpot refused the request, when syncState is failed',
  })
  syncError!: string | null;

  @ApiProperty({ type: [MessageAttachmentDto], description: 'Files sent with the request itself' })
  attachments!: MessageAttachmentDto[];

  @ApiProperty({ type: [TicketMessageDto], description: 'Customer-visible conversation, oldest first' })
  messages!: TicketMessageDto[];

  @ApiProperty({
    enum: ['loaded', 'loading'],
    description:
      '`loading`: the conversation has not been read from HubSpot yet (it is on its way), so `messages` may be incomplete — show a loading state, not an empty conversation. `message` events (GET tickets/events) or the next read bring it',
  })
  conversationState!: 'loaded' | 'loading';

  @ApiProperty({
    type: [TicketPersonDto],
    description:
      'Everyone on the ticket (HubSpot contacts associated with it): the requester first, then the colleagues in copy by name. Each of them sees the ticket in their portal',
  })
  people!: TicketPersonDto[];
}

export class RequestFieldDto {
  @ApiProperty({ enum: ['priority', 'category'] })
  name!: 'priority' | 'category';

  @ApiProperty({ example: 'Priority' })
  label!: string;

  @ApiProperty({ type: Boolean, enum: [false] })
  required!: false;

  @ApiProperty({ type: [OptionDto] })
  options!: OptionDto[];
}

export class RequestFieldsDto {
  @ApiProperty({ type: [RequestFieldDto] })
  fields!: RequestFieldDto[];
}

export class SupportContactDto {
  @ApiProperty({ type: String, nullable: true, example: 'https://support.example.com/' })
  url!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'support@example.com' })
  email!: string | null;

  @ApiProperty({ example: 'Synchtank Support' })
  name!: string;
}

export class SignInMethodsDto {
  @ApiProperty({ description: 'Email and password (register, sign in, reset); off with PASSWORD_LOGIN=off' })
  password!: boolean;

  @ApiProperty({
    description:
      'A token signed by the host website (POST auth/site-token); on when SITE_TOKEN_SECRET or SITE_TOKEN_JWKS_URL is set',
  })
  siteToken!: boolean;
}

export class PortalInfoDto {
  @ApiProperty({ type: SupportContactDto })
  support!: SupportContactDto;

  @ApiProperty({ type: SignInMethodsDto, description: 'Which ways of signing in this portal offers' })
  signIn!: SignInMethodsDto;

  @ApiProperty({
    description:
      "Whether the requesting page's origin (the Origin header) may use the portal: in PORTAL_ORIGINS, the API's own, or no Origin at all",
    example: true,
  })
  originAllowed!: boolean;

  @ApiProperty({
    type: AttachmentLimitsDto,
    description: 'What a customer may attach to a request or reply (the ATTACHMENTS_* settings)',
  })
  attachments!: AttachmentLimitsDto;
}
