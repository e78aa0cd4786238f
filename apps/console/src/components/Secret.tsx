import { Alert } from '@mantine/core';
import { CopyField } from './CopyField';

/** A key or secret the server shows only in this answer: copy it now. It is kept in component state only. */
export function ShownOnce({ label, value }: { label: string; value: string }) {
  return (
    // The title in the body's text colour: yellow text on the yellow tint is far below AA contrast.
    <Alert color="yellow" title={`${label}: copy it now`} styles={{ title: { color: 'var(--mantine-color-text)' } }}>
      <CopyField
        label={label}
        value={value}
        description="It is shown this once; Postwire keeps only a hash (or an encrypted copy) and will not show it again."
      />
    </Alert>
  );
}
