import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAuth } from '../auth/current-auth.decorator';
import type { AuthContext } from '../auth/session.service';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { ContactLinkQueue } from './contact-link.queue';
import { CustomerDto } from './customer.dto';
import { CustomersService } from './customers.service';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly customers: CustomersService,
    private readonly contactLinks: ContactLinkQueue,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in customer' })
  @ApiOkResponse({ type: CustomerDto })
  async me(@CurrentAuth() auth: AuthContext): Promise<CustomerDto> {
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
    return CustomerDto.from(customer);
  }
}
