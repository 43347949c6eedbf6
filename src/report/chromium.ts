import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

/**
 * A Chromium already on the machine, driven headless by playwright-core (which downloads no browser): the report is
 * printed to PDF with it, and the browser tests open the page in it.
 */

/** Where a Chromium is looked for, in order, after $CHROMIUM_PATH. */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'] as const;

/**
 * Flags of a quiet, offline, throw-away browser: headless, no sandbox (containers run as root), no GPU, and none of
 * the background traffic (updates, sync, QUIC probes) that would be a request leaving the machine.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** $CHROMIUM_PATH when set (it must exist), else the first candidate that exists; undefined when none does. */
export function findChromium(env: Readonly<Record<string, string | undefined>>, exists: (p: string) => boolean = existsSync): string | undefined {
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv !== undefined && fromEnv !== '') return exists(fromEnv) ? fromEnv : undefined;
  return CHROMIUM_CANDIDATES.find((p) => exists(p));
}

/**
 * Launch `executablePath` headless with a fresh profile (a new temporary user-data-dir, removed by `close`).
 * playwright-core is loaded here, on first use.
 */
export async function openChromium(executablePath: string): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'headroom-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: [...CHROMIUM_ARGS], viewport: { width: 1200, height: 900 } });
    return {
      context,
      close: async () => {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
}
