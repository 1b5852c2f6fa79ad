import { loadSecrets, type Secrets } from './secrets.ts';
import { defaultTargetName, openTarget, type Target } from './target.ts';

export interface CheckContext {
  target: Target;
  secrets: Secrets;
}

let context: Promise<CheckContext> | undefined;

/**
 * What a check needs: the target (from $WORKBOOK_TARGET, set by the runner) and the cluster's
 * secrets. Opened lazily inside a hook, never at import, so test explorers can list checks
 * without touching any machine.
 */
export function workbook(): Promise<CheckContext> {
  context ??= (async () => {
    const target = await openTarget(defaultTargetName());
    return { target, secrets: await loadSecrets(target.name) };
  })();
  return context;
}

/**
 * Marks a test that disturbs the cluster on purpose (stops an etcd member, moves the virtual
 * IP). It runs when a chapter is checked, and is skipped when the runner only confirms that
 * earlier chapters are done before applying a later one.
 */
export function disruptive(test: Mocha.Context): void {
  if (process.env.WORKBOOK_PREREQUISITE_CHECK) test.skip();
}
