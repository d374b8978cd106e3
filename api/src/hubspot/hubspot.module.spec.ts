import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { HubSpotAdapter } from './hubspot.adapter';
import { HubSpotConnections, HubSpotModule, HUBSPOT_OPTIONS } from './hubspot.module';
import { HubSpotPort } from './hubspot.port';

describe(HubSpotModule.name, () => {
  it('should provide the adapter under the HubSpotPort token with a Redis limiter when REDIS_URL is given', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        HubSpotModule.forRootAsync({
          useFactory: () => ({
            baseUrl: 'http://127.0.0.1:9/',
            accessToken: 'test-token',
            redisUrl: 'redis://127.0.0.1:6379/1',
          }),
        }),
      ],
    }).compile();
    const app = await moduleRef.init();

    const port = app.get(HubSpotPort);
    const connections = app.get(HubSpotConnections);

    expect(port).toBeInstanceOf(HubSpotAdapter);
    expect(connections.limiter).toBeDefined();
    expect(await connections.redis!.ping()).toBe('PONG');
    expect(app.get(HUBSPOT_OPTIONS)).toMatchObject({ accessToken: 'test-token' });

    const ended = new Promise((resolve) => connections.redis!.once('end', resolve));
    await app.close();
    await ended;
    expect(connections.redis!.status).toBe('end');
  });

  it('should work without Redis for one-off tools', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [HubSpotModule.forRoot({ baseUrl: 'http://127.0.0.1:9', accessToken: 'test-token' })],
    }).compile();

    expect(moduleRef.get(HubSpotPort)).toBeInstanceOf(HubSpotAdapter);
    expect(moduleRef.get(HubSpotConnections).limiter).toBeUndefined();
    await moduleRef.close();
  });
});
