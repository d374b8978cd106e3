import { CONFIG_DEFAULTS, type ConfigName } from './config-defaults';

// Reads the environment for loadConfig: each bad or missing value becomes one problem line that names
// the variable, what it accepts and what it got.

export type Env = Record<string, string | undefined>;

export class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  withDefault(name: ConfigName): string {
    return this.raw(name) ?? CONFIG_DEFAULTS[name];
  }

  fail(name: string, accepted: string, got: string | undefined): void {
    const shown = got === undefined ? 'it is not set' : `got ${JSON.stringify(truncate(got))}`;
    this.problems.push(`${name}: ${accepted} (${shown})`);
  }

  int(name: ConfigName, min: number, max: number): number {
    const value = this.withDefault(name);
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.fail(name, `must be a whole number from ${min} to ${max}`, value);
      return Number(CONFIG_DEFAULTS[name]);
    }
    return Number(value);
  }

  httpUrl(name: string, value: string | undefined, required = true): string | undefined {
    if (value === undefined) {
      if (required) this.fail(name, 'must be an http:// or https:// URL', value);
      return undefined;
    }
    const url = tryUrl(value);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
      this.fail(name, 'must be an http:// or https:// URL', value);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(name: ConfigName, allowed: readonly T[]): T {
    const value = this.withDefault(name);
    if (!(allowed as readonly string[]).includes(value)) {
      this.fail(name, `must be one of ${allowed.join(', ')}`, value);
      return CONFIG_DEFAULTS[name] as T;
    }
    return value as T;
  }
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

export function tryUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** A whole number in [min, max]; a bad value is one problem naming the range and what the setting is for. */
export function wholeNumberIn(
  reader: Reader,
  name: ConfigName,
  min: number,
  max: number,
  what: string,
): number {
  const value = reader.withDefault(name);
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    reader.fail(name, `must be a whole number from ${min} to ${max}: ${what}`, value);
    return Number(CONFIG_DEFAULTS[name]);
  }
  return Number(value);
}
