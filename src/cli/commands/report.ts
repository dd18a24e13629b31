/** `clawgym report`: a run's summary in the terminal, report.json and the self-contained report.html. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readRunFolder, runPaths } from '../../core/runs/folder.js';
import { buildReport, formatReportText, type Report } from '../../core/runs/report.js';
import { renderReportHtml } from '../../core/runs/report-html.js';
import { printJson, useColor } from '../output.js';

export async function writeReports(runDir: string, report: Report): Promise<void> {
  const p = runPaths(runDir);
  await writeFile(p.reportJson, JSON.stringify(report, null, 2));
  await writeFile(p.reportHtml, renderReportHtml(report));
}

/** The report of a run folder, from every result line written (the latest of a re-run wins). */
export function reportFor(runDir: string): Report {
  const run = readRunFolder(runDir);
  return buildReport(run.manifest, run.results);
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Summarise a run (terminal, report.json, report.html).')
    .argument('<run-dir>')
    .option('--json', 'print report.json')
    .action(async (runDir: string, o) => {
      const dir = resolve(runDir);
      const report = reportFor(dir);
      await writeReports(dir, report);
      if (o.json) printJson(report);
      else process.stdout.write(`${formatReportText(report, { color: useColor() })}\nreport: ${runPaths(dir).reportHtml}\n`);
    });
}
