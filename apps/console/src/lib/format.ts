/** Display formats: money with its currency, numbers with separators, dates in the user's zone (named). */
const numberFormat = new Intl.NumberFormat('en-US');

export function formatNumber(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? numberFormat.format(n) : String(value);
}

/** Digits after the point a currency is shown with: its minor units (USD 2, JPY 0, BHD 3), from Intl. */
function minorUnits(currency: string): number {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

const moneyFormats = new Map<number, Intl.NumberFormat>();

/**
 * Money arrives as exact decimal strings (six decimals at most) and is shown to the currency's minor
 * units, rounded half away from zero like the API (Intl's default rounding): "2.134627" USD is "2.13 USD". Intl formats the
 * decimal string itself, never a float, so large amounts stay exact. The exact value stays in the API
 * and in CSV exports.
 */
export function formatMoney(value: unknown, currency = 'USD'): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = String(value);
  if (!/^-?\d+(?:\.\d+)?$/.test(text)) return `${text} ${currency}`;
  const digits = minorUnits(currency);
  let format = moneyFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    moneyFormats.set(digits, format);
  }
  // Intl.NumberFormat formats a decimal string exactly (ES2023); the cast is for older lib typings.
  const shown = format.format(text as unknown as number);
  return `${shown === '-0' || /^-0(\.0+)?$/.test(shown) ? shown.slice(1) : shown} ${currency}`;
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

/**
 * Current IANA names that ICU still lists under their old name (`Intl.supportedValuesOf` gives
 * Asia/Calcutta, not Asia/Kolkata): offered too, so an operator finds the name they know.
 */
const RENAMED_ZONES = [
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Ho_Chi_Minh',
  'Asia/Yangon',
  'Europe/Kyiv',
  'America/Nuuk',
  'Atlantic/Faroe',
  'Pacific/Kanton',
  'Pacific/Chuuk',
  'Pacific/Pohnpei',
  'America/Argentina/Buenos_Aires',
  'America/Indiana/Indianapolis',
  'America/Kentucky/Louisville',
  'America/Atikokan',
];

/** Every IANA zone the browser knows, with UTC first and the current names of renamed zones; `current` is kept even if unknown here. */
export function allTimeZones(current?: string): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = new Set(intl.supportedValuesOf?.('timeZone') ?? []);
  for (const zone of RENAMED_ZONES) if (isTimeZoneName(zone)) zones.add(zone);
  if (current) zones.add(current);
  zones.delete('UTC');
  return ['UTC', ...[...zones].sort()];
}

/** Whether the browser knows this IANA zone name. */
export function isTimeZoneName(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
