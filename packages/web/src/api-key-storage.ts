// The API key lives in sessionStorage: it survives a reload but not closing the tab, and is never in the URL.

const storageKey = 'outlay.apiKey';

export function loadApiKey(): string | null {
  try {
    return sessionStorage.getItem(storageKey);
  } catch {
    return null; // Storage disabled (privacy mode): the user simply logs in again.
  }
}

export function saveApiKey(apiKey: string): void {
  sessionStorage.setItem(storageKey, apiKey);
}

export function clearApiKey(): void {
  sessionStorage.removeItem(storageKey);
}

/** Signing out forgets everything this tab kept: the key and any edited scenario. */
export function forgetSession(): void {
  sessionStorage.clear();
}
