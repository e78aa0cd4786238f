import { useMutation } from '@tanstack/react-query';
import { endpoints } from '../../api/endpoints';
import { useInvalidate } from '../../lib/mutations';
import { statsKeys } from '../reports/queries';

/** Saves rates; reports convert with them, so every report on screen is read again. */
export function useSaveCurrencyRates() {
  const reportsChanged = useInvalidate(statsKeys.all);
  return useMutation({
    mutationFn: (body: Parameters<typeof endpoints.putCurrencyRates>[0]) => endpoints.putCurrencyRates<unknown>(body),
    onSuccess: reportsChanged,
  });
}
