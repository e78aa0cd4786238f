/**
 * Finds the first object key that a JSON text gives twice in one object, at any depth, and
 * returns its path (`a.b[2].c`); `undefined` when every key is unique. `text` must already be
 * valid JSON (call `JSON.parse` first): this is a scan of its structure, not a parser.
 *
 * Why: `JSON.parse` keeps the last of two equal keys, other parsers the first, so
 * `{"status":"declined","status":"approved"}` says two things at once. A signature verified over
 * the bytes must not be applied to one reading of them, exactly as a repeated query or form
 * parameter is refused. Keys are compared after unescaping (`"a"` and `"\u0061"` are the same
 * key). Well-kept parsers such as secure-json-parse do not report duplicates, and the reviver of
 * `JSON.parse` only sees the surviving value, hence this small scanner.
 */
export function findDuplicateJsonKey(text: string): string | undefined {
  interface Frame {
    /** Keys seen in this object; `null` for an array. */
    keys: Set<string> | null;
    /** The key (object) or index (array) of the value being read. */
    at: string | number;
  }
  const stack: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = i + 1;
      while (text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c /* \ */ ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return pathOf(stack, key);
        top.keys.add(key);
        top.at = key;
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */) {
      stack.push({ keys: new Set(), at: '' });
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push({ keys: null, at: 0 });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys) expectKey = true;
      else if (top) top.at = (top.at as number) + 1;
    }
  }
  return undefined;
}

function pathOf(stack: ReadonlyArray<{ keys: Set<string> | null; at: string | number }>, key: string): string {
  let path = '';
  for (let i = 0; i < stack.length - 1; i++) {
    const at = stack[i].at;
    path = typeof at === 'number' ? `${path}[${at}]` : path === '' ? at : `${path}.${at}`;
  }
  const full = path === '' ? key : `${path}.${key}`;
  return full.length > 128 ? `${full.slice(0, 128)}…` : full;
}
