import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { QueryState } from '../../../components/states';
import { useFraudPolicy, useSetFraudPolicy, type FraudPolicyAnswer, type FraudPolicyBody, type PolicyOwner } from '../queries';
import { POLICY_SECTIONS } from './sections';
import type { FraudPolicyInput } from './section-props';

type Field = keyof FraudPolicyInput;

/** The server's 400 as `{ 'blockedIps.3': 'not an address or CIDR range' }` (its message without the path it starts with). */
function refusalByField(error: unknown): Record<string, string> {
  const e = error as { status?: number; param?: string; message?: string } | null;
  if (!e || e.status !== 400 || !e.param) return {};
  const param = e.param.replace(/\[(\d+)\]/g, '.$1');
  let message = (e.message ?? '').trim();
  while (message.startsWith(`${param}: `)) message = message.slice(param.length + 2);
  return { [param]: message };
}

/**
 * The fraud policy of a campaign or an offer, as a list of sections (POLICY_SECTIONS). Each section
 * says which of its fields are set here and which keep their default; saving stores only the fields
 * set here, so a later change of a default still reaches the others. "Reset to defaults" stores none.
 */
export function PolicyForm({ owner, id }: { owner: PolicyOwner; id: string }) {
  const policy = useFraudPolicy(owner, id);
  // Out here, so the form's fresh copy after a save (keyed by what is stored) still says it was saved.
  const save = useSetFraudPolicy(owner, id);
  return (
    <QueryState loading={policy.isLoading} error={policy.error}>
      {policy.data && <LoadedPolicyForm key={JSON.stringify(policy.data.stored)} owner={owner} answer={policy.data} save={save} />}
    </QueryState>
  );
}

function LoadedPolicyForm({ owner, answer, save }: { owner: PolicyOwner; answer: FraudPolicyAnswer; save: ReturnType<typeof useSetFraudPolicy> }) {
  const [set, setSet] = useState<ReadonlySet<Field>>(() => new Set(Object.keys(answer.stored) as Field[]));
  const [draft, setDraft] = useState<FraudPolicyInput>(
    () => ({ ...answer.defaults, ...answer.stored, weights: { ...answer.defaults.weights, ...answer.stored.weights } }) as FraudPolicyInput,
  );
  const [dirty, setDirty] = useState(false);
  const errors = useMemo(() => refusalByField(save.error), [save.error]);
  const onChange = (patch: Partial<FraudPolicyInput>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSet((s) => new Set([...s, ...(Object.keys(patch) as Field[])]));
    setDirty(true);
  };
  const toDefault = (fields: readonly Field[]) => {
    const defaults = answer.defaults as FraudPolicyInput;
    setDraft((d) => ({ ...d, ...Object.fromEntries(fields.map((f) => [f, defaults[f]])) }));
    setSet((s) => new Set([...s].filter((f) => !fields.includes(f))));
    setDirty(true);
  };
  const body = (): FraudPolicyBody => Object.fromEntries([...set].map((f) => [f, draft[f]])) as FraudPolicyBody;
  const unknownError = save.error && Object.keys(errors).length === 0 ? (save.error as Error).message : undefined;
  const elsewhere = Object.keys(errors).filter((k) => !POLICY_SECTIONS.some((s) => s.fields.some((f) => k === f || k.startsWith(`${f}.`))));
  return (
    <form
      aria-label={`Fraud policy of this ${owner}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(body(), { onSuccess: () => setDirty(false) });
      }}
    >
      <Stack>
        {POLICY_SECTIONS.map(({ title, component: Section, fields }) => {
          const here = fields.filter((f) => set.has(f));
          return (
            <Card key={title} withBorder padding="md" component="section" aria-label={title}>
              <Group justify="space-between" mb="xs">
                <Title order={3} size="h5">
                  {title}
                </Title>
                <Group gap="xs">
                  {here.length ? (
                    <>
                      <Badge variant="light" color="blue" tt="none">
                        Set here: {here.join(', ')}
                      </Badge>
                      <Button size="compact-xs" variant="subtle" onClick={() => toDefault(here)} aria-label={`Reset ${title} to defaults`}>
                        Use defaults
                      </Button>
                    </>
                  ) : (
                    <Badge variant="outline" color="gray" c="dimmed" tt="none">
                      Defaults
                    </Badge>
                  )}
                </Group>
              </Group>
              <Section policy={draft} onChange={onChange} errors={errors} />
            </Card>
          );
        })}
        {elsewhere.map((k) => (
          <Alert key={k} color="red" role="alert" title={k}>
            {errors[k]}
          </Alert>
        ))}
        {unknownError && (
          <Alert color="red" role="alert">
            {unknownError}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!dirty}>
            Save policy
          </Button>
          <Button variant="default" onClick={() => toDefault([...set])} disabled={set.size === 0}>
            Reset to defaults
          </Button>
          {save.isSuccess && !dirty && (
            <Text size="sm" role="status">
              Saved.
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
