// On the demo site's page (administrators): remove the demo building `--demo` added, with its
// stations, sessions and cards, in one action. An ordinary site cannot be deleted while it has
// floors or stations, which left the demo in the real data for good.
import { useNavigate } from 'react-router';
import { useQuery } from '../api/use-query';
import { useUser } from '../app/session';
import { runAction } from '../lib/actions';
import { can } from '../lib/permissions';
import { ConfirmButton } from './common';

export function RemoveDemoButton({ siteId }: { siteId: number }) {
  const user = useUser();
  const navigate = useNavigate();
  const admin = can.deleteSite(user.role);
  const demo = useQuery('demo-get', {}, { enabled: admin });
  if (!admin || demo.data?.siteId !== siteId) return null;
  return (
    <ConfirmButton
      color="red"
      variant="light"
      title="Remove demo data"
      message="Stop the simulated chargers and delete this demo site with its floors, stations, charging sessions, meter readings and demo cards? Your other sites are not touched. The removal is recorded in the audit log."
      confirmLabel="Remove demo data"
      onConfirm={async () => {
        const r = await runAction(
          'demo-remove',
          {},
          {
            success: (v) =>
              `Demo removed: ${v.stations} stations and ${v.sessions} sessions deleted`,
          },
        );
        if (r.ok) navigate('/');
      }}
    >
      Remove demo data
    </ConfirmButton>
  );
}
