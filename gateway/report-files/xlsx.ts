import { REPORT_HEADERS, TOTAL_LABEL, unitLabel, type ProgressReport } from '../../core/follow-up/report-model.js';
import { reportLine } from './csv.js';

/**
 * The report as an XLSX workbook (exceljs): one sheet "Tiến độ", the
 * headers on row 1, one row per report row, the total last in bold;
 * `Tỷ lệ đúng hạn` formatted as a percentage.
 */
export async function reportXlsx(report: ProgressReport): Promise<Buffer> {
  // Loaded when the first workbook is asked for (~10 MB of memory otherwise carried by every process).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'lienthong';
  const sheet = workbook.addWorksheet('Tiến độ');
  sheet.columns = REPORT_HEADERS.map(([field, header]) => ({
    header,
    key: field,
    width: field === 'unit' ? 48 : Math.max(12, header.length + 2),
    ...(field === 'onTimeRate' ? { style: { numFmt: '0.0%' } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const row of report.rows) sheet.addRow(reportLine(unitLabel(row), row));
  sheet.addRow(reportLine(TOTAL_LABEL, report.total)).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
