import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAuth } from '../auth/current-auth.decorator';
import type { AuthContext } from '../auth/session.service';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { TicketVisibility } from '../tickets/ticket-visibility.service';
import { ContactLinkQueue } from './contact-link.queue';
import { MeDto } from './customer.dto';
import { CustomerScopeService } from './customer-scope.service';
import { CustomersService } from './customers.service';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly customers: CustomersService,
    private readonly contactLinks: ContactLinkQueue,
    private readonly scopes: CustomerScopeService,
    private readonly visibility: TicketVisibility,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in customer' })
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentAuth() auth: AuthContext): Promise<MeDto> {
    const customer = await this.customers.findById(auth.customerId);
    if (!customer) {
      throw new AppError(
        ErrorCode.UNAUTHENTICATED,
        'Your account no longer exists. Register again to continue.',
      );
    }
    // Not linked yet (HubSpot was down at confirmation, or the contact came later): try again in the worker.
    if (customer.confirmedAt && !customer.hubspotContactId) {
      await this.contactLinks.enqueueQuietly(customer.id);
    }
    const involvements = this.visibility.involvements(await this.scopes.scopeFor(customer.id));
    return MeDto.withInvolvements(customer, involvements);
  }
}
