import { ApiProperty } from '@nestjs/swagger';
import { type Involvement, INVOLVEMENTS } from '../tickets/dto/list-tickets.query.dto';
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

/** GET /me: the customer, and what their visibility rule offers the ticket list. */
export class MeDto extends CustomerDto {
  @ApiProperty({
    enum: INVOLVEMENTS,
    isArray: true,
    description:
      "The values of GET /tickets `involvement` this customer's visibility rule offers (ADR 0014): `mine` always, `cc` once linked to a contact, `company` with company scope. The widget shows its Mine / In copy / My company filter when there are several",
    example: ['mine', 'cc', 'company'],
  })
  involvements!: Involvement[];

  static withInvolvements(customer: Customer, involvements: Involvement[]): MeDto {
    return { ...CustomerDto.from(customer), involvements };
  }
}
