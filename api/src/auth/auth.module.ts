import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AuthController } from './auth.controller';
import { AuthCoreModule } from './auth-core.module';
import { BearerAuthGuard } from './bearer-auth.guard';
import { LocalStrategy } from './local.strategy';
import { RetiredLoginController } from './retired-login.controller';

@Module({
  imports: [AuthCoreModule, PassportModule.register({ session: false })],
  controllers: [AuthController, RetiredLoginController],
  providers: [LocalStrategy, { provide: APP_GUARD, useClass: BearerAuthGuard }],
  exports: [AuthCoreModule],
})
export class AuthModule {}
