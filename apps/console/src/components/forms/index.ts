// The shared pieces of the console's forms: field errors from the API, decimal comma, non-blocking warnings.
export { ApiForm } from './ApiForm';
export { DecimalInput } from './DecimalInput';
export { FieldWarnings } from './FieldWarnings';
export { readDecimal, type DecimalReading } from './decimal';
export { placeError, withoutParam, type PlacedError } from './field-errors';
export { offerUrlWarnings, sourcePostbackUrlWarnings } from './url-warnings';
export { useFieldErrors, type FieldErrors } from './useFieldErrors';
export { TagsField } from './TagsField';
