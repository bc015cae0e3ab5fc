import { csvField } from './log-query.ts';
import type { UsageReport } from './usage.ts';

const COLUMNS = [
  'start',
  'group',
  'label',
  'requests',
  'errors',
  'input_tokens',
  'output_tokens',
  'thinking_tokens',
  'cached_tokens',
] as const;

/**
 * The usage rows as CSV (RFC 4180, CRLF), one line per bucket and group, with the log export's
 * guard against spreadsheet formulas: a label is a client's key label, which anyone holding the
 * admin API may set to `=HYPERLINK(...)`.
 */
export function usageCsv(report: UsageReport): string {
  let out = `${COLUMNS.join(',')}\r\n`;
  for (const row of report.rows) {
    const fields = [
      row.start,
      row.group,
      row.label,
      row.requests,
      row.errors,
      row.tokens.input,
      row.tokens.output,
      row.tokens.thinking,
      row.tokens.cached,
    ];
    out += `${fields.map(csvField).join(',')}\r\n`;
  }
  return out;
}
