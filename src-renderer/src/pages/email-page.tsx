// Email (administrators): the mail server settings and the outbox, as two tabs of one page.
import { Tabs } from '@mantine/core';
import { useNavigate, useParams } from 'react-router';
import { PageHeader } from '../components/common';
import { MailSettingsPanel } from './mail-settings-page';
import { OutboxPanel } from './outbox-page';

export function EmailPage() {
  const { tab = 'outbox' } = useParams();
  const navigate = useNavigate();
  return (
    <>
      <PageHeader
        title="Email"
        subtitle="The mail server StrataCharge sends invoices and alarms through, and every message it sent."
      />
      <Tabs value={tab} onChange={(t) => void navigate(`/email/${t ?? 'outbox'}`)}>
        <Tabs.List mb="md">
          <Tabs.Tab value="outbox">Outbox</Tabs.Tab>
          <Tabs.Tab value="settings">Mail server</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="outbox">{tab === 'outbox' ? <OutboxPanel /> : null}</Tabs.Panel>
        <Tabs.Panel value="settings">
          {tab === 'settings' ? <MailSettingsPanel /> : null}
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
