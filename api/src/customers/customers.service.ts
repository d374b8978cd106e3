import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { normalizeEmail } from '../common/crypto.util';
import { Customer } from './customer.entity';

export interface NewCustomer {
  email: string;
  passwordHash: string;
  name?: string | null;
  confirmedAt?: Date | null;
}

@Injectable()
export class CustomersService {
  constructor(@InjectRepository(Customer) private readonly customers: Repository<Customer>) {}

  findByEmail(email: string): Promise<Customer | null> {
    return this.customers.findOneBy({ email: normalizeEmail(email) });
  }

  findById(id: string): Promise<Customer | null> {
    return this.customers.findOneBy({ id });
  }

  async create(input: NewCustomer): Promise<Customer> {
    const now = new Date();
    const customer = this.customers.create({
      id: randomUUID(),
      email: normalizeEmail(input.email),
      passwordHash: input.passwordHash,
      name: input.name ?? null,
      confirmedAt: input.confirmedAt ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await this.customers.insert(customer);
    return customer;
  }

  async update(
    id: string,
    changes: Partial<Pick<Customer, 'passwordHash' | 'name' | 'confirmedAt'>>,
  ): Promise<void> {
    await this.customers.update({ id }, { ...changes, updatedAt: new Date() });
  }

  // Sets confirmed_at only when it is still empty, so the first confirmation time is kept; the password
  // given with it is set in the same statement, so only the first confirmation sets one. True when this
  // call confirmed the account.
  async markConfirmed(id: string, at = new Date(), passwordHash?: string): Promise<boolean> {
    const result = await this.customers
      .createQueryBuilder()
      .update()
      .set(
        passwordHash ? { confirmedAt: at, updatedAt: at, passwordHash } : { confirmedAt: at, updatedAt: at },
      )
      .where('id = :id AND confirmed_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
