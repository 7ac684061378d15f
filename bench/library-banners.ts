// Library banners kept out of the benchmark output. TensorFlow.js's cpu backend prints a notice
// ("Hi, looks like you are running TensorFlow.js in Node.js…", through console.warn) the first time
// it holds data; a run piped with 2>&1 into a file once carried it into bench/RESULTS.md's tables.
// muteLibraryBanners() drops console messages matching a known banner and passes everything else.
// tfjs's own switches for it (the PROD and IS_TEST flags) also change what tfjs checks while it
// runs, so the benchmark leaves them alone.
const BANNERS = [/looks like you are running TensorFlow\.js in Node\.js/];
let muted = false;

/** Installs the filter on console.warn / log / info (once). */
export function muteLibraryBanners(): void {
  if (muted) return;
  muted = true;
  for (const method of ['warn', 'log', 'info'] as const) {
    const write = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      if (args.some((a) => typeof a === 'string' && BANNERS.some((b) => b.test(a)))) return;
      write(...args);
    };
  }
}
