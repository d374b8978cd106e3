// The environment a benchmark gives the API and worker it starts: its own database and Redis, the
// emulator as HubSpot, ports chosen by the OS. `extra` adds or overrides variables.
export function benchApiEnv(
  database: string,
  redisUrl: string,
  emulator: { url: string; accessToken: string; clientSecret: string },
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `mysql://root@127.0.0.1:3306/${database}`,
    REDIS_URL: redisUrl,
    HUBSPOT_BASE_URL: emulator.url,
    HUBSPOT_ACCESS_TOKEN: emulator.accessToken,
    HUBSPOT_CLIENT_SECRET: emulator.clientSecret,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}
