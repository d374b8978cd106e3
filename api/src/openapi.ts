import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { loadConfig } from './config/app-config';

export const API_PREFIX = 'api/v1';

export function openApiConfig(): Omit<OpenAPIObject, 'paths'> {
  return new DocumentBuilder()
    .setTitle('Ticket Portal API')
    .setDescription(
      'Customer accounts and support tickets for the embeddable Ticket Portal. Errors are { statusCode, error, message, code }.',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'Access token from POST /api/v1/auth/login',
    })
    .build();
}

export function createOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  return SwaggerModule.createDocument(app, openApiConfig());
}

// Builds the OpenAPI document without MySQL or Redis (Nest's preview mode instantiates nothing), so the
// widget's generated client types can be checked against it anywhere.
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadConfig({ HUBSPOT_ACCESS_TOKEN: 'openapi-only' });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter(),
    {
      preview: true,
      logger: false,
      abortOnError: false,
    },
  );
  app.setGlobalPrefix(API_PREFIX);
  try {
    return createOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

async function cli(): Promise<void> {
  const document = JSON.stringify(await buildOpenApiDocument(), null, 2);
  const out = process.argv[2];
  if (out) writeFileSync(out, `${document}\n`);
  else process.stdout.write(`${document}\n`);
}

if (require.main === module) {
  cli().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
