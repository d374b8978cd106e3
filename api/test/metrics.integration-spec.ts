import { useTestStack } from './helpers/test-stack';

// HubSpot is down for this stack (test-config points HUBSPOT_BASE_URL at a closed port).
const TOKEN = 'metrics-token-0123456789abcdef';

describe('GET /metrics and /health without HubSpot', () => {
  const stack = useTestStack({ env: { METRICS_TOKEN: TOKEN } });

  it('should refuse metrics without the configured bearer token', async () => {
    const missing = await stack.request('GET', '/api/v1/metrics');
    const wrong = await stack.request('GET', '/api/v1/metrics', { token: `${TOKEN}x` });
    expect([missing.status, wrong.status]).toEqual([401, 401]);
    expect(missing.body).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('METRICS_TOKEN'),
    });
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('should serve Prometheus text with the token', async () => {
    await stack.request('GET', '/api/v1/health');
    const metrics = await stack.request('GET', '/api/v1/metrics', { token: TOKEN });
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(metrics.text).toMatch(/^# TYPE tp_sync_healthy gauge$/m);
    expect(metrics.text).toMatch(/^tp_sync_queue_jobs\{queue="sync-refresh",state="waiting"\} \d+$/m);
    expect(metrics.text).toMatch(
      /^tp_http_requests_total\{method="GET",route="\/api\/v1\/health",status="2xx"\} [1-9]\d*$/m,
    );
    expect(metrics.text).toMatch(/^process_cpu_seconds_total [\d.]+$/m);
  });

  it('should stay 200 with a sync section while HubSpot is unreachable', async () => {
    const started = Date.now();
    const health = await stack.request<{ status: string; sync: { status: string; healthy?: boolean } }>(
      'GET',
      '/api/v1/health',
      { token: TOKEN },
    );
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect(['ok', 'degraded']).toContain(health.body.sync.status);
    expect(typeof health.body.sync.healthy).toBe('boolean');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('should show only the status of /health without the token, even to this host', async () => {
    for (const token of [undefined, `${TOKEN}x`]) {
      const health = await stack.request('GET', '/api/v1/health', token ? { token } : {});
      expect(health.status).toBe(200);
      expect(Object.keys(health.body)).toEqual(['status']);
      expect(['ok', 'degraded']).toContain(health.body.status);
    }
  });
});
