import cliProgress from 'cli-progress';

/**
 * A progress bar on stderr (cli-progress), so stdout keeps only the result:
 * redrawn in place on a terminal, a line every couple of seconds (and a last
 * one) when stderr is a file or a pipe. `fields` are shown after the counts.
 */
export function progressBar(fields: string[], stream: NodeJS.WriteStream = process.stderr) {
  const extra = fields.map((f) => `${f} {${f}}`).join('  ');
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `[{bar}] {percentage}%  {value}/{total}${extra ? `  ${extra}` : ''}`,
      barsize: 20,
      barCompleteChar: '#',
      barIncompleteChar: '-',
      hideCursor: false,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      clearOnComplete: false,
    },
    cliProgress.Presets.legacy,
  );
  let started = false;
  return {
    update(done: number, total: number, values: Record<string, number | string>) {
      if (!started) {
        bar.start(total, done, values);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, values);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
