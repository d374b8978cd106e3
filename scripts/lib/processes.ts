// Child processes with prefixed, coloured output and orderly shutdown.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const COLOURS = [36, 35, 33, 32, 34, 31, 90];

export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where output lines go; defaults to stdout with a coloured `[name]` prefix. */
  log?: (name: string, line: string) => void;
}

let colourIndex = 0;
export function prefixedLogger(): (name: string, line: string) => void {
  const colours = new Map<string, number>();
  return (name, line) => {
    if (!colours.has(name)) colours.set(name, COLOURS[colourIndex++ % COLOURS.length] ?? 36);
    const c = colours.get(name) ?? 36;
    const tag = process.stdout.isTTY ? `\x1b[${c}m[${name}]\x1b[0m` : `[${name}]`;
    process.stdout.write(`${tag} ${line}\n`);
  };
}

export function startChild(name: string, command: string, args: string[], opts: RunOptions = {}): Child {
  const log = opts.log ?? prefixedLogger();
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => log(name, line));
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    process: child,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion; rejects with its output when it fails. */
export function runToEnd(
  name: string,
  command: string,
  args: string[],
  opts: RunOptions = {},
): Promise<void> {
  const lines: string[] = [];
  const child = startChild(name, command, args, {
    ...opts,
    log: (n, line) => {
      lines.push(line);
      opts.log?.(n, line);
    },
  });
  return child.exited.then((code) => {
    if (code !== 0) throw new Error(`${name} failed (exit ${String(code)}):\n${lines.slice(-30).join('\n')}`);
  });
}
