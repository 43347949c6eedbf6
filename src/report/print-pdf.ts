import { pathToFileURL } from 'node:url';
import { inputError } from '../errors.js';
import { findChromium, openChromium } from './chromium.js';

/**
 * Print a report (an HTML file) to PDF through the Chromium found on the machine, with the page's print stylesheet
 * (A4, backgrounds on, charts kept whole). Returns the PDF's bytes.
 * @throws HeadroomError (exit 2) when no Chromium is found: the message names where it looked.
 */
export async function printPdf(htmlPath: string, env: Readonly<Record<string, string | undefined>>): Promise<Uint8Array> {
  const chromiumPath = findChromium(env);
  if (chromiumPath === undefined) {
    const where = env.CHROMIUM_PATH ? `$CHROMIUM_PATH (${env.CHROMIUM_PATH}) does not exist` : 'none of /usr/bin/chromium, chromium-browser, google-chrome exists and $CHROMIUM_PATH is not set';
    throw inputError('--pdf', `no Chromium to print with: ${where} (install one, e.g. apt-get install chromium, or set CHROMIUM_PATH)`);
  }
  const browser = await openChromium(chromiumPath);
  try {
    const page = await browser.context.newPage();
    // The report fetches nothing; anything but the file itself is refused.
    await page.route((url) => url.protocol !== 'file:' && url.protocol !== 'data:', (route) => route.abort());
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
