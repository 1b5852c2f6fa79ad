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

/** For scripts that run at the top level (bench/): a mistake in the command line is one line and exit 1, as under main. */
export function parsedOrExit<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
