import v8 from 'node:v8';

/**
 * Let the JavaScript heap grow at most `percent` past what survived the last
 * full collection before V8 collects again (V8's `--heap-growing-percent`,
 * which it reads at every collection, so it can be set once running). Under a
 * steady load V8 on its own lets the old generation grow to several times the
 * live data: most of a long-running process's resident memory, all of it
 * garbage. 0 leaves V8's own choice; `node --heap-growing-percent=N` on the
 * command line wins over the setting.
 */
export function limitHeapGrowth(percent: number, execArgv: readonly string[] = process.execArgv): boolean {
  if (percent <= 0 || execArgv.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  return true;
}
