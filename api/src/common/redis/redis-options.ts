export interface RedisConnectionOptions {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: Record<string, never>;
  maxRetriesPerRequest: null;
}

// BullMQ takes ioredis options, not a URL, so the URL is taken apart here.
export function redisOptionsFromUrl(value: string): RedisConnectionOptions {
  const url = new URL(value);
  const db = url.pathname.replace(/^\//, '');
  const options: RedisConnectionOptions = {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 6379 : Number(url.port),
    db: db === '' ? 0 : Number(db),
    maxRetriesPerRequest: null,
  };
  if (url.username) options.username = decodeURIComponent(url.username);
  if (url.password) options.password = decodeURIComponent(url.password);
  if (url.protocol === 'rediss:') options.tls = {};
  return options;
}
