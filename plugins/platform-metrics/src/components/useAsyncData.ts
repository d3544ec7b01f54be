import { useEffect, useState } from 'react';

export interface AsyncData<T> {
  loading: boolean;
  error?: Error;
  value?: T;
  retry(): void;
}

/**
 * Loads data for a key and keeps the previous value while the next one loads, so
 * that changing a filter does not blank the whole page.
 */
export function useAsyncData<T>(
  load: () => Promise<T>,
  deps: unknown[],
): AsyncData<T> {
  const [state, setState] = useState<{
    loading: boolean;
    error?: Error;
    value?: T;
  }>({ loading: true });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setState(previous => ({ loading: true, value: previous.value }));
    load().then(
      value => !cancelled && setState({ loading: false, value }),
      error => !cancelled && setState({ loading: false, error }),
    );
    return () => {
      cancelled = true;
    };
    // The caller's deps decide when to reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);

  return { ...state, retry: () => setAttempt(a => a + 1) };
}
