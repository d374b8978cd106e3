import { Injectable, Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { CustomersService } from '../customers/customers.service';
import { buildActionLink } from '../mail/mail-links';
import type { EmailJobData, RegisterJobData } from '../mail/mail-queue.constants';
import {
  alreadyConfirmedMail,
  alreadyRegisteredMail,
  confirmationMail,
  passwordResetMail,
  type TemplateContext,
} from '../mail/mail-templates';
import { Mailer } from '../mail/mailer.service';
import { OneTimeTokenService } from './one-time-token.service';

function isDuplicateEntry(error: unknown): boolean {
  return (
    error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY'
  );
}

// Runs in the worker. Decides which mail an address gets; each handler is safe to retry.
@Injectable()
export class AccountMailHandler {
  private readonly logger = new Logger(AccountMailHandler.name);

  constructor(
    private readonly customers: CustomersService,
    private readonly tokens: OneTimeTokenService,
    private readonly mailer: Mailer,
    private readonly config: AppConfig,
  ) {}

  private get context(): TemplateContext {
    return { portalUrl: this.config.portalUrl, supportEmail: this.config.supportEmail };
  }

  async register(data: RegisterJobData): Promise<void> {
    let customer = await this.customers.findByEmail(data.email);
    if (customer?.confirmedAt) {
      await this.mailer.send(customer.email, alreadyRegisteredMail(this.context));
      return;
    }
    if (customer) {
      // Nobody has proved they own this address yet, so the latest registration's password stands.
      await this.customers.update(customer.id, { passwordHash: data.passwordHash });
    } else {
      try {
        customer = await this.customers.create({ email: data.email, passwordHash: data.passwordHash });
      } catch (error) {
        if (!isDuplicateEntry(error)) throw error;
        throw new Error('The account was created concurrently; the retry will pick it up.', { cause: error });
      }
    }
    await this.sendConfirmation(customer.id, customer.email);
  }

  async resendConfirmation(data: EmailJobData): Promise<void> {
    const customer = await this.customers.findByEmail(data.email);
    if (!customer) {
      this.logger.debug('confirmation requested for an address without an account; nothing sent');
      return;
    }
    if (customer.confirmedAt) {
      await this.mailer.send(customer.email, alreadyConfirmedMail(this.context));
      return;
    }
    await this.sendConfirmation(customer.id, customer.email);
  }

  async forgotPassword(data: EmailJobData): Promise<void> {
    const customer = await this.customers.findByEmail(data.email);
    if (!customer) {
      this.logger.debug('password reset requested for an address without an account; nothing sent');
      return;
    }
    const token = await this.tokens.issue(customer.id, 'reset');
    await this.mailer.send(
      customer.email,
      passwordResetMail(buildActionLink(this.config.portalUrl, 'reset', token), this.context),
    );
  }

  private async sendConfirmation(customerId: string, email: string): Promise<void> {
    const token = await this.tokens.issue(customerId, 'confirm');
    await this.mailer.send(
      email,
      confirmationMail(buildActionLink(this.config.portalUrl, 'confirm', token), this.context),
    );
  }
}
