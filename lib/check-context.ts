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
