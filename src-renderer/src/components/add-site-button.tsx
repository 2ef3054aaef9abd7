import { useState } from 'react';
import { Button, Modal } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { SiteForm, siteInput, siteValues } from './site-form';
import { runAction } from '../lib/actions';
import { fieldPath } from '../lib/errors';

const browserTimeZone = () =>
  Intl.DateTimeFormat().resolvedOptions().timeZone || 'Australia/Sydney';

export function AddSiteButton() {
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  return (
    <>
      <Button leftSection={<IconPlus size={16} />} onClick={() => setOpen(true)}>
        Add site
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Add site" centered size="lg">
        <SiteForm
          initial={siteValues(null, browserTimeZone())}
          submitLabel="Add site"
          onCancel={() => setOpen(false)}
          onSubmit={async (v) => {
            const r = await runAction('site-create', siteInput(v), {
              success: (s) => `Site “${s.name}” added`,
              onError: (e) => Boolean(fieldPath(e)),
            });
            if (!r.ok) return r.error;
            setOpen(false);
            navigate(`/sites/${r.value.id}`);
            return null;
          }}
        />
      </Modal>
    </>
  );
}
