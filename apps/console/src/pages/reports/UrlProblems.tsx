import { Alert, Button, List, Stack, Text } from '@mantine/core';
import type { UrlProblem } from '../../lib/report-url';

/** A report URL that cannot be shown (a shared link with a bad zone, date or column): what is wrong, and a way back. */
export function UrlProblems({ problems, onReset }: { problems: UrlProblem[]; onReset: () => void }) {
  return (
    <Alert color="red" title="This report link cannot be shown" role="alert" data-testid="report-url-problems">
      <Stack gap="xs">
        <List size="sm">
          {problems.map((p) => (
            <List.Item key={p.param}>
              <Text span fw={700} size="sm">
                {p.param}
              </Text>
              : {p.message}
            </List.Item>
          ))}
        </List>
        <div>
          <Button size="xs" onClick={onReset}>
            Reset the report
          </Button>
        </div>
      </Stack>
    </Alert>
  );
}
