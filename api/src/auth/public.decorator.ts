import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'tp:isPublic';

// Routes open without a bearer token (the BearerAuthGuard is global).
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
