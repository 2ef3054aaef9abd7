// Pages that later issues fill in. Each says what will be there, so nobody wonders whether it is broken.
import { List, Paper, Text } from '@mantine/core';
import { PageHeader } from '../components/common';

export interface PlaceholderDef {
  path: string;
  title: string;
  intro: string;
  points: string[];
}

export const PLACEHOLDERS: PlaceholderDef[] = [
  {
    path: '/cards',
    title: 'Cards',
    intro: 'The RFID cards allowed to charge, and who they belong to.',
    points: [
      'Add, block and expire cards; link them to residents for billing.',
      'Send the card list to chargers so they work offline.',
    ],
  },
];

export function PlaceholderPage({ title, intro, points }: PlaceholderDef) {
  return (
    <>
      <PageHeader title={title} subtitle={intro} />
      <Paper withBorder p="lg" maw={720}>
        <Text fw={600} mb="xs">
          Coming in a later release
        </Text>
        <Text size="sm" c="dimmed" mb="sm">
          This page will let you:
        </Text>
        <List size="sm" spacing={4}>
          {points.map((p) => (
            <List.Item key={p}>{p}</List.Item>
          ))}
        </List>
      </Paper>
    </>
  );
}
