/**
 * The instant a wall-clock time (`YYYY-MM-DDTHH:mm`, as a datetime-local field gives it) names in an
 * IANA zone: the operator enters a cost range in their own zone, the API takes UTC instants.
 */
export function zonedLocalToUtc(local: string, timeZone: string): Date {
  const asUtc = new Date(`${local}:00Z`);
  // The zone's offset at that moment, read back from Intl; a second pass settles a DST change in between.
  const once = new Date(asUtc.getTime() - offsetAt(asUtc, timeZone));
  return new Date(asUtc.getTime() - offsetAt(once, timeZone));
}

function offsetAt(instant: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/** A decimal as typed, with a comma accepted where it cannot mean a thousands separator (`12,5` → `12.5`). */
export function decimalInput(text: string): string {
  const trimmed = text.trim();
  return /^\d+,\d+$/.test(trimmed) ? trimmed.replace(',', '.') : trimmed;
}
