import { Injectable } from '@nestjs/common';

/** Request counts by method, route pattern and status class, for GET /metrics (one per HTTP app). */
@Injectable()
export class HttpMetrics {
  private readonly counts = new Map<string, number>();
  private durationSum = 0;
  private durationCount = 0;

  record(method: string, route: string, status: number, ms: number): void {
    const key = `${method}\u0000${route}\u0000${Math.floor(status / 100)}xx`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.durationSum += ms / 1000;
    this.durationCount += 1;
  }

  render(): string {
    const lines = [
      '# HELP tp_http_requests_total HTTP requests answered, by method, route pattern and status class.',
      '# TYPE tp_http_requests_total counter',
    ];
    for (const [key, n] of [...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const [method, route, status] = key.split('\u0000') as [string, string, string];
      lines.push(
        `tp_http_requests_total{method="${esc(method)}",route="${esc(route)}",status="${status}"} ${n}`,
      );
    }
    lines.push(
      '# HELP tp_http_request_duration_seconds Time spent answering HTTP requests.',
      '# TYPE tp_http_request_duration_seconds summary',
      `tp_http_request_duration_seconds_sum ${round(this.durationSum)}`,
      `tp_http_request_duration_seconds_count ${this.durationCount}`,
    );
    return `${lines.join('\n')}\n`;
  }
}

function esc(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Cheap process gauges in the usual Prometheus names. */
export function renderProcessMetrics(now = Date.now()): string {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const started = now / 1000 - process.uptime();
  return [
    '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.',
    '# TYPE process_cpu_seconds_total counter',
    `process_cpu_seconds_total ${round((cpu.user + cpu.system) / 1e6)}`,
    '# HELP process_resident_memory_bytes Resident memory size in bytes.',
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${memory.rss}`,
    '# HELP nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.',
    '# TYPE nodejs_heap_size_used_bytes gauge',
    `nodejs_heap_size_used_bytes ${memory.heapUsed}`,
    '# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.',
    '# TYPE process_start_time_seconds gauge',
    `process_start_time_seconds ${Math.round(started)}`,
    '',
  ].join('\n');
}
