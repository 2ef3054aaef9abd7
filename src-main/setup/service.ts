// First-run setup: needed while there is no administrator. Creates the administrator, the
// organisation and the first site in ONE transaction, so a failure leaves a fresh install.
import { ApiFailure } from '../../src-shared/api/result';
import type { Organisation, Site } from '../../src-shared/model';
import { hashPassword } from '../auth/password';
import type { ModelService, SiteInput } from '../model/service';
import type { UserService } from '../users/service';

export interface SetupInput {
  admin: { email: string; name: string; password: string };
  organisation: Organisation;
  site: SiteInput;
}

export type SetupService = ReturnType<typeof createSetupService>;

export function createSetupService(deps: { model: ModelService; users: UserService }) {
  const { model, users } = deps;
  const done = () =>
    new ApiFailure('setup-done', 'StrataCharge is already set up. Log in instead.');
  return {
    needsSetup: () => !users.hasAdmin(),

    async complete(input: SetupInput, now: number): Promise<{ adminId: number; site: Site }> {
      if (users.hasAdmin()) throw done();
      const passwordHash = await hashPassword(input.admin.password);
      // The model's transaction: the new site's event is delivered after COMMIT.
      const result = model.transaction(() => {
        // Re-checked inside the transaction: two browsers finishing setup at once.
        if (users.hasAdmin()) throw done();
        model.upsertOrganisation(input.organisation, now);
        const adminId = users.insert(
          { ...input.admin, role: 'admin', siteIds: [], passwordHash },
          now,
        );
        const site = model.insertSite(input.site, now);
        return { adminId, site };
      });
      return result;
    },
  };
}
