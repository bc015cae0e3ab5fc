/** Number and time formatting shared by the charts and the tables beside them. */

const MINUTE = 60_000;
const HOUR = 3_600_000;

const pad = (n: number) => String(n).padStart(2, '0');

/** A series bucket's start as an axis label, in local time: 14:05, or 03-18 14:00 for hours, 03-18 for days. */
export function bucketLabel(start: string | number, bucketMs: number): string {
  const at = new Date(start);
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  const day = `${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  if (bucketMs >= 24 * HOUR) return day;
  if (bucketMs >= HOUR) return `${day} ${time}`;
  return time;
}

/** 1234 → 1.2K, 5600000 → 5.6M: token counts at a glance (the exact figure goes in a title). */
export function compact(value: number): string {
  if (Math.abs(value) < 1000) return String(Math.round(value));
  return new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** An exact count with thousands separators. */
export function exact(value: number): string {
  return new Intl.NumberFormat('en').format(value);
}

/** 0.1234 → 12.3% */
export function percent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits).replace(/\.0+$/, '')}%`;
}

/** 850 → 850 ms, 12345 → 12.3 s, null → - */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < MINUTE) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / MINUTE)} min ${Math.round((ms % MINUTE) / 1000)} s`;
}
