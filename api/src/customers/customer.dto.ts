import { ApiProperty } from '@nestjs/swagger';
import type { Customer } from './customer.entity';

export class CustomerDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'alex.morgan@example.com' })
  email!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Alex Morgan' })
  name!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  confirmedAt!: string | null;

  @ApiProperty({
    description:
      'true once the account is linked to the HubSpot contact with the same email (done in the background after confirmation)',
  })
  contactLinked!: boolean;

  static from(customer: Customer): CustomerDto {
    return {
      id: customer.id,
      email: customer.email,
      name: customer.name,
      confirmedAt: customer.confirmedAt ? customer.confirmedAt.toISOString() : null,
      contactLinked: customer.hubspotContactId != null,
    };
  }
}
