// Register a station (station-create) or adopt a charger that tried to connect (charger-adopt):
// same fields — where it goes, how it authenticates, how many outlets.
import { applyFieldErrors } from '../lib/errors';
import type { ApiError } from '../../../src-shared/api/result';
import {
  Button,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useNavigate } from 'react-router';
import { runAction } from '../lib/actions';
import { useTree } from '../app/tree';
import { SecurityProfileField } from './security-profile-field';

interface FloorOption {
  id: number;
  name: string;
}

export function StationDialog({
  siteId,
  floorId,
  floors,
  adoptIdentity,
  onClose,
}: {
  siteId: number;
  floorId: number | null;
  floors: FloorOption[];
  /** Set when adopting a charger that tried to connect: the identity is fixed. */
  adoptIdentity?: string;
  onClose: () => void;
}) {
  const navigate = useNavigate();
  const tree = useTree();
  const form = useForm({
    initialValues: {
      siteId: String(siteId),
      floorId: floorId == null ? '' : String(floorId),
      identity: adoptIdentity ?? '',
      name: adoptIdentity ?? '',
      connectorCount: 1 as number | string,
      securityProfile: '0',
      password: '',
    },
    validate: {
      password: (v, values) =>
        values.securityProfile !== '0' && v.length < 16
          ? 'At least 16 characters (OCPP AuthorizationKey)'
          : null,
    },
  });
  const sites = tree.data?.sites ?? [];
  const floorOptions = sites.find((s) => String(s.id) === form.values.siteId)?.floors ?? floors;
  const onError = (e: ApiError) => applyFieldErrors(form, e);

  return (
    <Modal
      opened
      onClose={onClose}
      title={adoptIdentity ? `Adopt ${adoptIdentity}` : 'Add station'}
      centered
      size="lg"
    >
      <form
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          const common = {
            siteId: Number(v.siteId),
            floorId: v.floorId ? Number(v.floorId) : null,
            // As typed: 99 or an empty box is reported on the field, not turned into 8 or 1.
            connectorCount: v.connectorCount === '' ? Number.NaN : Number(v.connectorCount),
            securityProfile: Number(v.securityProfile),
            password: v.securityProfile !== '0' ? v.password : null,
          };
          if (adoptIdentity) {
            const r = await runAction(
              'charger-adopt',
              { ...common, identity: adoptIdentity, name: v.name || undefined },
              {
                success: `${adoptIdentity} adopted — it is accepted when it next connects`,
                onError,
              },
            );
            if (r.ok) {
              onClose();
              navigate(`/stations/${r.value.stationId}`);
            }
          } else {
            const r = await runAction(
              'station-create',
              { ...common, identity: v.identity, name: v.name },
              { success: (st) => `Station “${st.name}” added`, onError },
            );
            if (r.ok) {
              onClose();
              navigate(`/stations/${r.value.id}`);
            }
          }
        })}
      >
        <Stack>
          {adoptIdentity ? (
            <Text size="sm">
              Registers <b>{adoptIdentity}</b> as an approved station. It is accepted the next time
              it connects (most chargers retry within a minute).
            </Text>
          ) : (
            <TextInput
              label="Charge box id"
              description="Exactly as configured in the charger (the last part of its OCPP URL)."
              required
              {...form.getInputProps('identity')}
            />
          )}
          <TextInput
            label="Name"
            placeholder="Bay 12"
            required={!adoptIdentity}
            {...form.getInputProps('name')}
          />
          <Group grow>
            <Select
              label="Site"
              allowDeselect={false}
              data={sites.map((s) => ({ value: String(s.id), label: s.name }))}
              {...form.getInputProps('siteId')}
            />
            <Select
              label="Floor"
              placeholder="Not on a floor"
              clearable
              data={floorOptions.map((f) => ({ value: String(f.id), label: f.name }))}
              {...form.getInputProps('floorId')}
            />
          </Group>
          <NumberInput
            label="Outlets (connectors)"
            min={1}
            max={8}
            clampBehavior="none"
            allowDecimal={false}
            {...form.getInputProps('connectorCount')}
          />
          <SecurityProfileField
            value={form.values.securityProfile}
            onChange={(v) => form.setFieldValue('securityProfile', v)}
            error={form.errors.securityProfile}
          />
          {form.values.securityProfile !== '0' ? (
            <PasswordInput
              label="Charger password (AuthorizationKey)"
              description="16–40 characters; enter the same in the charger’s OCPP settings."
              {...form.getInputProps('password')}
            />
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              {adoptIdentity ? 'Adopt charger' : 'Add station'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
