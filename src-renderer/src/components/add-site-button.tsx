import { useState } from 'react';
import { Button, Modal } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { SiteForm, siteInput, siteValues } from './site-form';
import { runAction } from '../lib/actions';
import { fieldErrorsOf } from '../lib/errors';
import { browserTimeZone } from '../../../src-shared/validation';

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
          initial={siteValues(null, browserTimeZone('Australia/Sydney'))}
          submitLabel="Add site"
          onCancel={() => setOpen(false)}
          onSubmit={async (v) => {
            const r = await runAction('site-create', siteInput(v), {
              success: (s) => `Site “${s.name}” added`,
              onError: (e) => fieldErrorsOf(e).length > 0,
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
