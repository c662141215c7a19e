import { REPORT_HEADERS, TOTAL_LABEL, unitLabel, type ProgressFigures, type ProgressReport } from '../../core/follow-up/report-model.js';

const BOM = '\uFEFF';

function cell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The cells of one line: the unit label, then each figure in header order. */
export function reportLine(unit: string, figures: ProgressFigures): Array<string | number | null> {
  return REPORT_HEADERS.map(([field]) => (field === 'unit' ? unit : figures[field]));
}

/**
 * The report as CSV: UTF-8 with a BOM (so Excel shows the Vietnamese
 * headers), comma-separated, CRLF line ends; one line per row, then the
 * total ("Tổng cộng"). `onTimeRate` as a decimal (0.6), empty when null.
 */
export function reportCsv(report: ProgressReport): string {
  const lines = [
    REPORT_HEADERS.map(([, header]) => header),
    ...report.rows.map((row) => reportLine(unitLabel(row), row)),
    reportLine(TOTAL_LABEL, report.total),
  ];
  return BOM + lines.map((line) => line.map(cell).join(',')).join('\r\n') + '\r\n';
}
