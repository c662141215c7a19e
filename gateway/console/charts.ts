import type * as Echarts from 'echarts';

/**
 * Charts drawn on the server as SVG by Apache ECharts' SSR renderer: no
 * script in the page, nothing fetched. Colors meet WCAG contrast on white.
 */
const PALETTE = ['#0b5cad', '#1e7b34', '#a3420f', '#6b3fa0'];
const TEXT = { color: '#333333', fontSize: 12, fontFamily: 'system-ui, sans-serif' };

/**
 * ECharts is loaded by the first page that draws (`await loadCharts()` before
 * rendering): it costs ~35 MB of memory, which a gateway or a worker that
 * never shows the console should not carry.
 */
let echarts: typeof Echarts | undefined;
export async function loadCharts(): Promise<void> {
  echarts ??= await import('echarts');
}

/** The last charts drawn, by their option: the same numbers are not drawn twice (ECharts SSR costs tens of ms). */
const drawn = new Map<string, string>();
const KEEP = 64;

function render(option: Echarts.EChartsCoreOption, width: number, height: number): string {
  const key = JSON.stringify([option, width, height]);
  const hit = drawn.get(key);
  if (hit !== undefined) return hit;
  const svg = draw(option, width, height);
  if (drawn.size >= KEEP) drawn.delete(drawn.keys().next().value!);
  drawn.set(key, svg);
  return svg;
}

function draw(option: Echarts.EChartsCoreOption, width: number, height: number): string {
  if (!echarts) throw new Error('charts drawn before loadCharts()');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, color: PALETTE, textStyle: TEXT, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Two series over days (received, resolved), as lines. */
export function dailyChart(labels: string[], series: Array<{ name: string; data: number[] }>, width = 760, height = 280): string {
  return render(
    {
      legend: { top: 0, textStyle: TEXT },
      grid: { left: 40, right: 16, top: 36, bottom: 36 },
      xAxis: { type: 'category', data: labels, axisLabel: { ...TEXT, interval: 4 } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: TEXT },
      series: series.map((s) => ({ type: 'line', name: s.name, data: s.data, symbol: 'circle', symbolSize: 5 })),
    },
    width,
    height,
  );
}

/** One bar per label (departments), horizontal so that long names fit. */
export function barChart(labels: string[], data: number[], options: { name: string; max?: number; percent?: boolean }, width = 760): string {
  const height = Math.max(120, 40 + labels.length * 32);
  return render(
    {
      grid: { left: 200, right: 40, top: 16, bottom: 28 },
      xAxis: { type: 'value', minInterval: 1, ...(options.max !== undefined ? { max: options.max } : {}), axisLabel: { ...TEXT, ...(options.percent ? { formatter: '{value}%' } : {}) } },
      yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { ...TEXT, width: 190, overflow: 'truncate' } },
      series: [{ type: 'bar', name: options.name, data, label: { show: true, position: 'right', ...TEXT } }],
    },
    width,
    height,
  );
}
