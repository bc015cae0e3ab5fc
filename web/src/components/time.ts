import type { Translate } from '../i18n/i18n.tsx';
import type { common } from '../strings.ts';

type CommonKey = keyof (typeof common)['en'];

/** "3 min ago" for a past time (ISO or ms). */
export function ago(
  t: Translate<CommonKey>,
  at: string | number | null | undefined,
  now = Date.now(),
): string {
  if (at === null || at === undefined) return t('never');
  const seconds = Math.round((now - new Date(at).getTime()) / 1000);
  if (seconds < 5) return t('justNow');
  if (seconds < 60) return t('secondsAgo', { n: seconds });
  if (seconds < 3600) return t('minutesAgo', { n: Math.floor(seconds / 60) });
  if (seconds < 86400) return t('hoursAgo', { n: Math.floor(seconds / 3600) });
  return t('daysAgo', { n: Math.floor(seconds / 86400) });
}

/** "in 2 h 5 min" for a future time (ISO or ms); past times read "just now". */
export function countdown(t: Translate<CommonKey>, at: string | number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((new Date(at).getTime() - now) / 1000));
  if (seconds === 0) return t('justNow');
  if (seconds < 60) return t('inSeconds', { n: seconds });
  if (seconds < 3600) return t('inMinutes', { n: Math.ceil(seconds / 60) });
  if (seconds < 86400)
    return t('inHours', { h: Math.floor(seconds / 3600), m: Math.floor((seconds % 3600) / 60) });
  return t('inDays', { d: Math.floor(seconds / 86400), h: Math.floor((seconds % 86400) / 3600) });
}

/** Re-renders every `ms` so countdowns and ages stay true. */
export { useNow } from './use-now.ts';
