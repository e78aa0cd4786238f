/** Display formats: money with its currency, numbers with separators, dates in the user's zone (named). */
const numberFormat = new Intl.NumberFormat('en-US');

export function formatNumber(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? numberFormat.format(n) : String(value);
}

/**
 * Money arrives as exact decimal strings; it is shown with two decimals (more when the value has
 * significant ones) by string arithmetic, never rounded through a float.
 */
export function formatMoney(value: unknown, currency = 'USD'): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return `${text} ${currency}`;
  const [, sign, whole, frac = ''] = match;
  const trimmed = frac.replace(/0+$/, '');
  const decimals = trimmed.length <= 2 ? trimmed.padEnd(2, '0') : trimmed;
  return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${decimals} ${currency}`;
}

export function formatPercent(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  return Number.isFinite(n) ? `${(n * 100).toFixed(2)} %` : String(value);
}

export function formatDateTime(value: string | Date | null | undefined, timeZone: string): string {
  if (!value) return '—';
  const date = typeof value === 'string' ? new Date(value) : value;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(date);
}

/** YYYY-MM-DD of an instant in a zone. */
export function dayIn(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function allTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}
