import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';

/** A create mutation that refreshes the list it adds to before handing the new item on. */
export function useCreate<TBody, TResult>(create: (body: TBody) => Promise<TResult>, listKey: QueryKey, onDone: (created: TResult) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: create,
    onSuccess: async (created: TResult) => {
      await queryClient.invalidateQueries({ queryKey: listKey });
      onDone(created);
    },
  });
}

/** A function that marks the queries under these keys stale (refetching the ones on screen): a mutation's named invalidation. */
export function useInvalidate(...keys: QueryKey[]): () => Promise<void> {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
  };
}
