import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from './context.js';

/**
 * `headroom report <DIR | plan.json | validation.json | drill.json> [--out FILE] [--pdf FILE]`
 *
 * Render the report page again from a saved result, without recomputing anything: a plan directory (plan.json, and
 * forecast.json for the demand fans), a validation (validation.json), a validation scenario run
 * (validation-scenario.json) or a failure drill (drill.json). Writes report.html beside the input unless --out names another file; --pdf prints the
 * page to PDF through a Chromium found on the machine. Exit 2 for an input that is not a saved result, or for --pdf
 * without a Chromium.
 */
export function registerReport(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description('Render the HTML report (and optionally a PDF) of a saved plan, validation or drill, without recomputing it')
    .argument('<input>', 'a directory written by plan/validate/drill --out, or plan.json, validation.json, validation-scenario.json, drill.json')
    .option('--out <FILE>', 'HTML file to write (default: report.html beside the input)')
    .option('--pdf <FILE>', 'also print the page to this PDF (needs Chromium: /usr/bin/chromium, chromium-browser, google-chrome or $CHROMIUM_PATH)')
    .addHelpText(
      'after',
      `
Example:
  $ headroom plan scenarios/example.yaml --out out/      # writes out/report.html too
  $ headroom report out/ --pdf out/report.pdf
  $ headroom report runs/cpu/validation.json --out cpu.html
  $ headroom report runs/drill                           # a drill's --out directory

The page is one self-contained file: charts are inline SVG, no script, nothing fetched, printable.
Exit codes: 0 written; 2 bad input (not a saved result, or no Chromium for --pdf).`,
    )
    .action(async (input: string, flags: { out?: string; pdf?: string }) => {
      // The renderer, the chart library and the browser driver load here, not at start-up.
      const [{ readReportInput }, { renderReport }, { printPdf, requireChromium }, { writeFileAtomic }] = await Promise.all([
        import('../report/report-input.js'),
        import('../report/render-report.js'),
        import('../report/print-pdf.js'),
        import('../write-atomic.js'),
      ]);
      const abs = (p: string) => (isAbsolute(p) ? p : resolve(ctx.cwd, p));
      // Both checks come before anything is written: a bad input or a missing browser leaves no output behind.
      const source = await readReportInput(abs(input));
      const chromium = flags.pdf !== undefined ? requireChromium(ctx.env) : undefined;
      const html = await renderReport(source);
      const outPath = flags.out !== undefined ? abs(flags.out) : join(dirname(source.file), 'report.html');
      await writeFileAtomic(outPath, html);
      const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;
      // Paths under the working directory are printed relative to it, as typed; others in full.
      const shown = (p: string) => (relative(ctx.cwd, p).startsWith('..') ? p : relative(ctx.cwd, p));
      let out = `wrote ${shown(outPath)} (${kb(Buffer.byteLength(html))})\n`;
      if (flags.pdf !== undefined && chromium !== undefined) {
        const pdfPath = abs(flags.pdf);
        const pdf = await printPdf(outPath, chromium);
        await writeFileAtomic(pdfPath, pdf);
        out += `wrote ${shown(pdfPath)} (${kb(pdf.byteLength)})\n`;
      }
      ctx.stdout.write(out);
    });
}
