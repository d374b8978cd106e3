// Child process of the list benchmark: runs one autocannon load (so the load generator does not share
// the API's event loop) and prints autocannon's result as JSON on stdout.
// Input (argv[2], JSON): { url, paths: string[], token, connections, seconds }.
import autocannon from 'autocannon';

interface LoadInput {
  url: string;
  paths: string[];
  token: string;
  connections: number;
  seconds: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as LoadInput;
  const result = await autocannon({
    url: input.url,
    connections: input.connections,
    duration: input.seconds,
    headers: { authorization: `Bearer ${input.token}` },
    // Each connection walks the variants in turn.
    requests: input.paths.map((path) => ({ method: 'GET', path })),
  });
  process.stdout.write(
    JSON.stringify({
      requests: result.requests.total,
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      seconds: result.duration,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
