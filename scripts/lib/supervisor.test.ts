// node:test, run by `npm test` (scripts/test.ts): the supervisor behind `npm start` with real child
// processes that crash.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startChild } from './processes';
import { supervise } from './supervisor';

const dir = mkdtempSync(join(tmpdir(), 'tp-supervisor-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// A Node child that exits with 1 on its first `crashes` runs (counted in a file), then keeps running.
function flaky(name: string, crashes: number): () => ReturnType<typeof startChild> {
  const counter = join(dir, `${name}.count`);
  const script = `
    const fs = require('node:fs');
    const n = fs.existsSync(${JSON.stringify(counter)}) ? Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) : 0;
    fs.writeFileSync(${JSON.stringify(counter)}, String(n + 1));
    console.log('run ' + (n + 1));
    if (n < ${crashes}) process.exit(1);
    setInterval(() => {}, 1000);
    process.on('SIGTERM', () => process.exit(0));
  `;
  return () => startChild(name, process.execPath, ['-e', script], { log: () => undefined });
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const running = (s: { current: { process: { exitCode: number | null; signalCode: string | null } } }) =>
  s.current.process.exitCode === null && s.current.process.signalCode === null;

void describe('supervise', () => {
  void it('should restart a crashed process with a doubling delay and say so', async () => {
    const lines: string[] = [];
    const s = supervise('worker', flaky('doubling', 3), {
      initialDelayMs: 50,
      maxDelayMs: 150,
      log: (l) => lines.push(l),
    });
    try {
      await until('third restart', () => s.restarts === 3);
      await until('running', () => running(s));
      assert.equal(lines.length, 3);
      assert.match(
        lines[0]!,
        /^worker exited unexpectedly \(exit 1\) after [\d.]+ s; restarting in 50 ms \(restart #1\)\.$/,
      );
      assert.match(lines[1]!, /restarting in 100 ms \(restart #2\)/);
      assert.match(lines[2]!, /restarting in 150 ms \(restart #3\)/);
    } finally {
      await s.stop();
    }
  });

  void it('should not restart a process it was asked to stop', async () => {
    const lines: string[] = [];
    const s = supervise('api', flaky('stopped', 0), { initialDelayMs: 10, log: (l) => lines.push(l) });
    await until('running', () => running(s));
    const child = s.current;
    await s.stop();
    assert.notEqual(child.process.exitCode ?? child.process.signalCode, null);
    // Settled: exit 0, or the SIGTERM itself if it came before the child set its handler.
    assert.ok([0, null].includes(await s.exited));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(s.restarts, 0);
    assert.deepEqual(lines, []);
  });

  void it('should stop waiting to restart when stopped during the delay', async () => {
    const s = supervise('worker', flaky('during-delay', 5), { initialDelayMs: 60_000, log: () => undefined });
    await until('first crash', () => !running(s));
    const started = Date.now();
    await s.stop();
    assert.ok(Date.now() - started < 5000, 'stop() returned without waiting for the restart delay');
    assert.equal(s.restarts, 0);
  });

  void it('should give up after too many quick crashes in a row and settle with the exit code', async () => {
    const lines: string[] = [];
    const s = supervise('api', flaky('always', 1000), {
      initialDelayMs: 10,
      maxDelayMs: 20,
      maxQuickRestarts: 3,
      log: (l) => lines.push(l),
    });
    assert.equal(await s.exited, 1);
    assert.equal(s.restarts, 3);
    assert.match(lines.at(-1)!, /^api exited \(exit 1\) after 3 quick restarts in a row; giving up on it\.$/);
  });
});
