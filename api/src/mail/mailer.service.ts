import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';
import type { MailContent } from './mail-templates';

// SMTP delivery. Used only by the worker; errors propagate so BullMQ retries the job.
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private transport: Transporter | undefined;

  constructor(private readonly config: AppConfig) {}

  async send(to: string, content: MailContent): Promise<void> {
    this.transport ??= createTransport(this.config.smtpUrl);
    await this.transport.sendMail({ from: this.config.mailFrom, to, ...content });
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
