/** Item names by id, for screens that show what another list's ids stand for. */
export function nameMap<T extends { id: string; name: string }>(items: readonly T[] | undefined): Map<string, string> {
  return new Map((items ?? []).map((i) => [i.id, i.name]));
}
