import { Injectable, Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { CustomersService } from '../customers/customers.service';
import { buildActionLink } from '../mail/mail-links';
import type { EmailJobData, RegisterJobData } from '../queues/queue.constants';
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
    return {
      portalUrl: this.config.portalUrl,
      supportName: this.config.supportName,
      supportEmail: this.config.supportEmail,
      supportUrl: this.config.supportUrl,
    };
  }

  async register(data: RegisterJobData): Promise<void> {
    let customer = await this.customers.findByEmail(data.email);
    if (customer?.confirmedAt) {
      await this.mailer.send(customer.email, alreadyRegisteredMail(this.context));
      return;
    }
    // A registration never changes an existing account's password: anyone can register any address.
    // Its password travels with its own confirmation link, and only the person who opens that link
    // (who proves the mailbox) sets it. See "Accounts and security" in docs/architecture.md.
    if (!customer) {
      try {
        customer = await this.customers.create({ email: data.email, passwordHash: data.passwordHash });
      } catch (error) {
        if (!isDuplicateEntry(error)) throw error;
        throw new Error('The account was created concurrently; the retry will pick it up.', { cause: error });
      }
    }
    await this.sendConfirmation(customer.id, customer.email, data.passwordHash);
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
    // Whoever asks for a resend gives no password. The new link repeats the password of the pending
    // registration when there is only one; with several (someone else may have registered this address
    // too) it carries none, and confirming it asks the owner to choose one with Forgot password.
    const pending = await this.tokens.pendingPasswordHashes(customer.id);
    await this.sendConfirmation(customer.id, customer.email, pending.length === 1 ? pending[0]! : null);
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

  private async sendConfirmation(
    customerId: string,
    email: string,
    pendingPasswordHash: string | null,
  ): Promise<void> {
    const token = await this.tokens.issue(customerId, 'confirm', { pendingPasswordHash });
    await this.mailer.send(
      email,
      confirmationMail(buildActionLink(this.config.portalUrl, 'confirm', token), this.context),
    );
  }
}
