/** Runs a command line: errors a person can act on are printed as one clear message, never as a stack trace. */

export async function main(run: () => Promise<number | undefined>): Promise<void> {
  try {
    process.exitCode = (await run()) ?? 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`error: ${message}`);
    if (process.env.WORKBOOK_DEBUG && error instanceof Error) console.error(error.stack);
    process.exitCode = 1;
  }
}
