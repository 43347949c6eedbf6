import { pathToFileURL } from 'node:url';
import { inputError } from '../errors.js';
import { findChromium, openChromium } from './chromium.js';

/**
 * The Chromium to print with, or a HeadroomError (exit 2) that names where it looked. Called before anything is
 * written, so `--pdf` without a browser leaves no half-done output.
 */
export function requireChromium(env: Readonly<Record<string, string | undefined>>): string {
  const chromiumPath = findChromium(env);
  if (chromiumPath !== undefined) return chromiumPath;
  const where = env.CHROMIUM_PATH ? `$CHROMIUM_PATH (${env.CHROMIUM_PATH}) does not exist` : 'none of /usr/bin/chromium, chromium-browser, google-chrome exists and $CHROMIUM_PATH is not set';
  throw inputError('--pdf', `no Chromium to print with: ${where} (install one, e.g. apt-get install chromium, or set CHROMIUM_PATH)`);
}

/**
 * Print a report (an HTML file) to PDF through the Chromium at `chromiumPath` (see `requireChromium`), with the page's
 * print stylesheet (A4, backgrounds on, charts kept whole). Requests other than the file itself are refused. Returns
 * the PDF's bytes.
 */
export async function printPdf(htmlPath: string, chromiumPath: string): Promise<Uint8Array> {
  const browser = await openChromium(chromiumPath);
  try {
    const page = await browser.context.newPage();
    await page.route((url) => url.protocol !== 'file:' && url.protocol !== 'data:', (route) => route.abort());
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
