import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomersModule } from '../customers/customers.module';
import { MailModule } from '../mail/mail.module';
import { AccountMailHandler } from './account-mail.handler';
import { AuthService } from './auth.service';
import { OneTimeToken } from './one-time-token.entity';
import { OneTimeTokenService } from './one-time-token.service';
import { PasswordHasher } from './password-hasher.service';
import { Session } from './session.entity';
import { SessionService } from './session.service';
import { SiteTokenVerifier } from './site-token.verifier';
import { ThrottleService } from './throttle.service';

// Account logic shared by the HTTP process and the worker (no controllers here).
@Module({
  imports: [TypeOrmModule.forFeature([Session, OneTimeToken]), CustomersModule, MailModule],
  providers: [
    PasswordHasher,
    SessionService,
    OneTimeTokenService,
    ThrottleService,
    AuthService,
    AccountMailHandler,
    SiteTokenVerifier,
  ],
  exports: [
    PasswordHasher,
    SessionService,
    OneTimeTokenService,
    ThrottleService,
    AuthService,
    AccountMailHandler,
    CustomersModule,
  ],
})
export class AuthCoreModule {}
