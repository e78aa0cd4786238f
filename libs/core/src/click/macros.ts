/**
 * Fills `{name}` macros in a URL template. Every value is URL-encoded, so a crafted value cannot
 * add parameters, change the path or the host. Unknown macros are left as written, so a template
 * meant for another system is not silently emptied; known macros without a value become empty.
 */
export function fillUrlMacros(template: string, values: Readonly<Record<string, string | undefined | null>>): string {
  return template.replace(/\{([a-z0-9_]+)\}/gi, (whole, name: string) => {
    const key = name.toLowerCase();
    if (!Object.prototype.hasOwnProperty.call(values, key)) return whole;
    const value = values[key];
    // encodeURIComponent throws on a lone surrogate; input checks refuse those, and this keeps a
    // stray one (old data) from turning a click into a 500: it goes out as U+FFFD.
    return value == null ? '' : encodeURIComponent(value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
  });
}

export const SUB_PARAMS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'sub6', 'sub7', 'sub8', 'sub9', 'sub10'] as const;
export type SubParam = (typeof SUB_PARAMS)[number];
export type Subs = Partial<Record<SubParam, string>>;
