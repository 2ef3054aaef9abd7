// Handlers for the residents methods. Site scoping is declared in site-scope.ts (every id names
// its site there); an EV user reaches only my-account-get, which derives the account from the
// login and never from the input.
import { ApiFailure } from '../../../src-shared/api/result';
import type { MethodName } from '../../../src-shared/api/contract';
import type { Account, Card, Resident } from '../../../src-shared/api/methods/residents';
import { describeCardForm, normaliseCardNumber } from '../../../src-shared/card-number';
import { importTemplate } from '../../residents/csv-import';
import type { HandlerMap, CallContext } from '../context';
import type { AccountRow, ResidentRow } from '../../residents/accounts';
import type { CardRow } from '../../residents/cards';

type ResidentsMethod =
  | Extract<MethodName, `account-${string}`>
  | Extract<MethodName, `resident-${string}`>
  | Extract<MethodName, `bay-${string}`>
  | Extract<MethodName, `card-${string}`>
  | 'my-account-get'
  | Extract<MethodName, `residents-${string}`>
  | 'station-local-list-status';

const UNKNOWN_WINDOW_MS = 30 * 24 * 3600_000;

export function toAccount(a: AccountRow, now: number): Account {
  return {
    id: a.id,
    siteId: a.siteId,
    lotNumber: a.lotNumber,
    unitNumber: a.unitNumber,
    ownerNames: a.ownerNames,
    postalAddress: a.postalAddress,
    invoiceEmails: JSON.parse(a.invoiceEmails) as string[],
    accountCode: a.accountCode,
    bpayReference: a.bpayReference,
    deftReference: a.deftReference,
    strataPayReference: a.strataPayReference,
    notes: a.notes,
    openedAt: a.openedAt,
    closedAt: a.closedAt,
    open: a.openedAt <= now && (a.closedAt === null || a.closedAt > now),
  };
}

const toResident = (r: ResidentRow): Resident => ({
  id: r.id,
  accountId: r.accountId,
  firstName: r.firstName,
  lastName: r.lastName,
  email: r.email,
  phone: r.phone,
  userId: r.userId,
});

function toCard(c: CardRow, ctx: CallContext): Card {
  return {
    id: c.id,
    siteId: c.siteId,
    idTag: c.idTag,
    printed: c.printed,
    label: c.label,
    accountId: c.accountId,
    residentId: c.residentId,
    status: ctx.services.residents.cards.statusOf(c, ctx.now),
    expiresAt: c.expiresAt,
    replacedById: c.replacedById,
    createdAt: c.createdAt,
  };
}

export const residentsHandlers: HandlerMap<ResidentsMethod> = {
  'account-list': (i, ctx) =>
    ctx.services.residents.accounts
      .list(i.siteId, { text: i.text, status: i.status }, ctx.now)
      .map((a) => ({ ...toAccount(a, ctx.now), residents: a.residents, cards: a.cards })),

  'account-get': (i, ctx) => {
    const { accounts, cards } = ctx.services.residents;
    const a = accounts.require(i.id);
    return {
      account: toAccount(a, ctx.now),
      residents: accounts.residentsOf(a.id).map(toResident),
      cards: cards.list({ accountIds: [a.id] }, ctx.now).map((c) => toCard(c, ctx)),
      bays: accounts.listBays(a.siteId).filter((b) => b.accountId === a.id),
    };
  },

  'account-create': (i, ctx) => {
    const { siteId, openedAt, ...fields } = i;
    const row = ctx.services.residents.accounts.create(
      siteId,
      fields,
      openedAt ?? ctx.now,
      ctx.now,
    );
    const after = toAccount(row, ctx.now);
    ctx.audit({ entity: 'account', entityId: row.id, siteId, after });
    return after;
  },

  'account-update': (i, ctx) => {
    const { id, ...fields } = i;
    const accounts = ctx.services.residents.accounts;
    const before = toAccount(accounts.require(id), ctx.now);
    const after = toAccount(accounts.update(id, fields, ctx.now), ctx.now);
    ctx.audit({ entity: 'account', entityId: id, siteId: after.siteId, before, after });
    return after;
  },

  'account-close': (i, ctx) => {
    const accounts = ctx.services.residents.accounts;
    const before = toAccount(accounts.require(i.id), ctx.now);
    const after = toAccount(accounts.close(i.id, i.closedAt, ctx.now), ctx.now);
    ctx.audit({ entity: 'account', entityId: i.id, siteId: after.siteId, before, after });
    return after;
  },

  'account-change-owner': (i, ctx) => {
    const { id, at, ...fields } = i;
    const r = ctx.services.residents.accounts.changeOwner(id, at, fields, ctx.now);
    const out = { closed: toAccount(r.closed, ctx.now), opened: toAccount(r.opened, ctx.now) };
    ctx.audit({ entity: 'account', entityId: id, siteId: r.closed.siteId, after: out });
    return out;
  },

  'account-sessions': (i, ctx) => {
    ctx.services.residents.accounts.require(i.id);
    return ctx.services.residents.cards.sessionsOf([i.id], i.limit);
  },

  'resident-create': (i, ctx) => {
    const { accountId, ...f } = i;
    const accounts = ctx.services.residents.accounts;
    const after = toResident(accounts.addResident(accountId, f, ctx.now));
    ctx.audit({ entity: 'resident', entityId: after.id, after });
    return after;
  },

  'resident-update': (i, ctx) => {
    const { id, ...f } = i;
    const accounts = ctx.services.residents.accounts;
    const prior = accounts.getResident(id);
    if (!prior)
      throw new ApiFailure('not-found', 'That resident no longer exists.', { field: 'id' });
    const after = toResident(accounts.updateResident(id, f, ctx.now));
    ctx.audit({ entity: 'resident', entityId: id, before: toResident(prior), after });
    return after;
  },

  'resident-delete': (i, ctx) => {
    const accounts = ctx.services.residents.accounts;
    const prior = accounts.getResident(i.id);
    if (!prior || !accounts.deleteResident(i.id)) {
      throw new ApiFailure('not-found', 'That resident no longer exists.', { field: 'id' });
    }
    ctx.audit({ entity: 'resident', entityId: i.id, before: toResident(prior) });
    return { ok: true as const };
  },

  'resident-login-set': (i, ctx) => {
    const accounts = ctx.services.residents.accounts;
    const prior = accounts.getResident(i.id);
    if (!prior)
      throw new ApiFailure('not-found', 'That resident no longer exists.', { field: 'id' });
    if (i.userId !== null) {
      const user = ctx.services.users.list().find((u) => u.id === i.userId);
      if (!user)
        throw new ApiFailure('not-found', 'That login no longer exists.', { field: 'userId' });
      if (user.role !== 'ev_user') {
        throw new ApiFailure(
          'validation',
          'Only an EV-user login can be given to a resident: it sees nothing but their own account.',
          { field: 'userId' },
        );
      }
      // The login must see the account's site (my-account-get shows only accounts of its sites).
      const account = accounts.require(prior.accountId);
      if (!user.siteIds.includes(account.siteId)) {
        const site = ctx.services.model.getSite(account.siteId);
        throw new ApiFailure(
          'validation',
          `The login ${user.email} has no access to ${site.name}: give it that site under Users first.`,
          { field: 'userId' },
        );
      }
    }
    accounts.linkLogin(i.id, i.userId, ctx.now);
    const after = toResident(accounts.getResident(i.id) ?? prior);
    ctx.audit({ entity: 'resident', entityId: i.id, before: toResident(prior), after });
    return after;
  },

  'bay-list': (i, ctx) => ctx.services.residents.accounts.listBays(i.siteId),

  'bay-set': (i, ctx) => {
    ctx.services.residents.accounts.setBay(
      i.connectorId,
      i.kind,
      i.accountId ?? null,
      i.label,
      ctx.now,
    );
    ctx.audit({ entity: 'bay', entityId: i.connectorId, after: i });
    return { ok: true as const };
  },

  'card-list': (i, ctx) =>
    ctx.services.residents.cards
      .list({ siteId: i.siteId, accountIds: i.accountId ? [i.accountId] : undefined }, ctx.now)
      .map((c) => toCard(c, ctx)),

  'card-number-check': (i, ctx) => {
    const cards = ctx.services.residents.cards;
    const r = normaliseCardNumber(i.number, cards.formOf(i.siteId));
    if (!r.ok) return { idTag: null, problem: r.reason, issuedTo: null };
    const existing = cards.byTag(i.siteId, r.idTag);
    return {
      idTag: r.idTag,
      problem: existing ? `Already issued (card ${existing.idTag})` : null,
      issuedTo: existing?.accountId ?? null,
    };
  },

  'card-issue': (i, ctx) => {
    const row = ctx.services.residents.cards.issue(
      {
        siteId: i.siteId,
        accountId: i.accountId,
        number: i.number,
        label: i.label,
        residentId: i.residentId ?? null,
        expiresAt: i.expiresAt ?? null,
      },
      ctx.now,
    );
    const after = toCard(row, ctx);
    ctx.audit({ entity: 'card', entityId: row.id, siteId: row.siteId, after });
    return after;
  },

  'card-replace': (i, ctx) => {
    const { old, card } = ctx.services.residents.cards.replace(i.id, i.number, ctx.now);
    const after = toCard(card, ctx);
    ctx.audit({
      entity: 'card',
      entityId: old.id,
      siteId: old.siteId,
      before: { idTag: old.idTag },
      after: { replacedBy: after },
    });
    return after;
  },

  'card-update': (i, ctx) => {
    const cards = ctx.services.residents.cards;
    const before = toCard(cards.require(i.id), ctx);
    const patch = {
      ...(i.label !== undefined ? { label: i.label } : {}),
      ...(i.residentId !== undefined ? { residentId: i.residentId } : {}),
    };
    const after = toCard(cards.update(i.id, patch, ctx.now), ctx);
    ctx.audit({ entity: 'card', entityId: i.id, siteId: after.siteId, before, after });
    return after;
  },

  'card-block': (i, ctx) => setStatus(i.id, 'blocked', ctx),
  'card-unblock': (i, ctx) => setStatus(i.id, 'active', ctx),

  'card-expire': (i, ctx) => {
    const cards = ctx.services.residents.cards;
    const before = toCard(cards.require(i.id), ctx);
    const after = toCard(cards.setExpiry(i.id, i.expiresAt, ctx.now), ctx);
    ctx.audit({ entity: 'card', entityId: i.id, siteId: after.siteId, before, after });
    return after;
  },

  'card-delete': (i, ctx) => {
    const before = ctx.services.residents.cards.remove(i.id, ctx.now);
    ctx.audit({
      entity: 'card',
      entityId: i.id,
      siteId: before.siteId,
      before: toCard(before, ctx),
    });
    return { ok: true as const };
  },

  'card-learn-start': (i, ctx) => {
    ctx.services.residents.cards.startLearning(i.siteId, ctx.now + i.seconds * 1000, i.printed);
    ctx.audit({ entity: 'card-learn', siteId: i.siteId, after: { printed: i.printed } });
    return { ok: true as const };
  },

  'card-learn-stop': (i, ctx) => {
    ctx.services.residents.cards.stopLearning(i.siteId);
    ctx.audit({ entity: 'card-learn', siteId: i.siteId });
    return { ok: true as const };
  },

  'card-learn-status': (i, ctx) => {
    const s = ctx.services.residents.cards.learnState(i.siteId, ctx.now);
    return { ...s, formText: describeCardForm(s.form) };
  },

  'card-unknown-list': (i, ctx) =>
    ctx.services.residents.cards.recentUnknown(i.siteId, ctx.now - UNKNOWN_WINDOW_MS).map((u) => ({
      idTag: u.idTag,
      stationId: u.stationId,
      count: u.count,
      firstAt: u.firstAt,
      lastAt: u.lastAt,
    })),

  'station-local-list-status': (i, ctx) => {
    const sync = ctx.services.residents.localList;
    if (!sync) throw new ApiFailure('unavailable', 'The card list sync is not running.');
    return sync.status(i.stationId);
  },

  'residents-import': (i, ctx) => {
    const out = ctx.services.residents.csvImport.run(i.siteId, i.csv, i.mode, ctx.now);
    // The file itself is not kept in the audit log: what was written is.
    if (out.written) {
      ctx.audit({
        entity: 'residents-import',
        siteId: i.siteId,
        after: { ...out.written, mode: i.mode },
      });
    }
    return out;
  },

  'residents-import-template': () => ({
    fileName: 'residents-template.csv',
    csv: importTemplate(),
  }),

  'my-account-get': (_i, ctx) => {
    // The account comes from the login alone: an EV user cannot name another.
    const caller = ctx.requireCaller();
    const { accounts, cards } = ctx.services.residents;
    // Only accounts of the sites the login may see: taking a site away takes its account away.
    const rows = accounts
      .accountsOfUser(caller.userId, caller.siteIds)
      .map((id) => accounts.get(id))
      .filter((a): a is AccountRow => a !== null && caller.siteIds.includes(a.siteId));
    const ids = rows.map((a) => a.id);
    return {
      accounts: rows.map((a) => ({
        id: a.id,
        siteId: a.siteId,
        lotNumber: a.lotNumber,
        unitNumber: a.unitNumber,
        ownerNames: a.ownerNames,
      })),
      cards: cards.list({ accountIds: ids }, ctx.now).map((c) => toCard(c, ctx)),
      sessions: cards.sessionsOf(ids, 500),
    };
  },
};

function setStatus(id: number, status: 'active' | 'blocked', ctx: CallContext): Card {
  const cards = ctx.services.residents.cards;
  const before = toCard(cards.require(id), ctx);
  const after = toCard(cards.setStatus(id, status, ctx.now), ctx);
  ctx.audit({ entity: 'card', entityId: id, siteId: after.siteId, before, after });
  return after;
}
