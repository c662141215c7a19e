/**
 * What a due date costs per dossier: `WorkingCalendar.dueAt` (the accept
 * path's only deadline work, in memory) and `deadlineState` (every resource
 * and list item), over start instants spread through 2026–2027 and the three
 * units. Run: `npx tsx bench/due-date.ts [count]`.
 */
import { deadlineState, WorkingCalendar, type ProcessingTime } from '../core/calendar/index.js';

const count = Number(process.argv[2] ?? 200_000);
const calendar = new WorkingCalendar(undefined, new Map([[2026, { daysOff: ['2026-01-02'], workingDays: ['2026-01-10'] }]]));
const times: ProcessingTime[] = [
  { value: 3, unit: 'working_days' },
  { value: 0.5, unit: 'working_days' },
  { value: 15, unit: 'working_days' },
  { value: 20, unit: 'working_hours' },
  { value: 30, unit: 'days' },
];
const start = Date.parse('2026-01-01T00:00:00+07:00');
const span = 2 * 365 * 86_400_000;
const froms = Array.from({ length: count }, (_, i) => start + ((i * 7_919_777) % span));

const cold = performance.now();
calendar.dueAt(froms[0]!, times[0]!);
const firstMs = performance.now() - cold;

let sink = 0;
const t0 = performance.now();
for (let i = 0; i < count; i++) sink += calendar.dueAt(froms[i]!, times[i % times.length]!);
const dueNs = ((performance.now() - t0) * 1e6) / count;

const t1 = performance.now();
for (let i = 0; i < count; i++) sink += deadlineState({ status: 'processing', dueAt: froms[i]! + 86_400_000 }, froms[i]!, calendar).length;
const stateNs = ((performance.now() - t1) * 1e6) / count;

const long = performance.now();
for (let i = 0; i < 1000; i++) sink += calendar.dueAt(froms[i]!, { value: 1000, unit: 'working_days' });
const longUs = ((performance.now() - long) * 1e3) / 1000;

console.log(`first call (builds the year tables): ${firstMs.toFixed(2)} ms`);
console.log(`dueAt: ${dueNs.toFixed(0)} ns per dossier over ${count} (3, 0.5, 15 working days, 20 working hours, 30 days)`);
console.log(`deadlineState: ${stateNs.toFixed(0)} ns per dossier`);
console.log(`dueAt of 1000 working days (the largest allowed): ${longUs.toFixed(1)} µs`);
if (sink === 0) console.log('');
