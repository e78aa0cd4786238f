/**
 * A small, serialisable description of an adapter's settings. It is shown by `GET /api/plugins`
 * and checked when an admin attaches the adapter to a network.
 */
export interface ConfigField {
  type: 'string' | 'boolean' | 'number';
  /** Short label of the field in the console's form ("Secret key"); without it the setting's name is shown. */
  title?: string;
  /** One line on what the value is (shown in the API and in error messages). */
  description: string;
  /** Where to find the value or what it changes, shown under the field in the console. */
  help?: string;
  required?: boolean;
  /** Secret values are encrypted at rest, never returned by the admin API, and masked in the console. */
  secret?: boolean;
  /** The only values a string setting may take; the console shows them as a select. */
  enum?: readonly string[];
  default?: string | boolean | number;
}

export type ConfigSchema = Readonly<Record<string, ConfigField>>;

/** The value type a schema describes. */
export type ConfigOf<S extends ConfigSchema> = {
  [K in keyof S]: S[K]['type'] extends 'boolean' ? boolean : S[K]['type'] extends 'number' ? number : string;
};

export type ConfigCheck<S extends ConfigSchema> = { ok: true; value: ConfigOf<S> } | { ok: false; errors: string[] };

/** Validates raw adapter settings against a schema, filling defaults; unknown keys are refused. */
export function checkConfig<S extends ConfigSchema>(schema: S, raw: unknown): ConfigCheck<S> {
  const input = raw ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) return { ok: false, errors: ['adapterConfig must be an object'] };
  const errors: string[] = [];
  const value: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    if (!Object.prototype.hasOwnProperty.call(schema, key)) errors.push(`adapterConfig.${key} is not a setting of this adapter`);
  }
  for (const [key, field] of Object.entries(schema)) {
    const given = Object.prototype.hasOwnProperty.call(input, key) ? (input as Record<string, unknown>)[key] : undefined;
    const v = given === undefined ? field.default : given;
    if (v === undefined) {
      if (field.required) errors.push(`adapterConfig.${key} is required (${field.description})`);
      continue;
    }
    if (typeof v !== field.type || (field.type === 'string' && (v as string).length === 0)) {
      errors.push(`adapterConfig.${key} must be a non-empty ${field.type}`);
      continue;
    }
    if (field.enum && !field.enum.includes(v as string)) {
      errors.push(`adapterConfig.${key} must be one of ${field.enum.join(', ')}`);
      continue;
    }
    value[key] = v;
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: value as ConfigOf<S> };
}
