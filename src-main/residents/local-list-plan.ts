// What goes into one charger's local authorisation list, and in which pieces it is sent. Pure:
// local-list-sync.ts gathers the candidates and talks to the charger.
//
// Who is on the list (docs/residents.md "Offline card list"):
// - a charger whose every connector is a private bay: only the cards of those bays' lots;
// - any other charger (a shared or visitor connector is there): every card of the site that may
//   charge now (active, not expired, its account open);
// - plus the organisation-wide id tags (id-tag-upsert) the site has no card for, which are
//   accepted online on every charger too.
// When the charger holds fewer entries than that (LocalAuthListMaxLength), the list keeps, in
// order: the cards of the lots with a private bay on this charger, then the site's other cards
// by most recent session (then newest issued), then the organisation-wide tags. The cards left
// out still charge online; offline the charger refuses them. The station page shows how many.

// A type (not an interface): it must fit the gateway's Record<string, unknown>.
export type IdTagInfo = {
  status: string;
  expiryDate?: string;
};

export interface ListCandidate {
  idTag: string;
  info: IdTagInfo;
  /** 0: a lot with a private bay on this charger; 1: another card of the site; 2: an id tag. */
  group: 0 | 1 | 2;
  /** Start of its latest session (0: never charged). */
  lastUsedAt: number;
  /** When issued (0: unknown). */
  createdAt: number;
}

export interface ListPlan {
  entries: Map<string, IdTagInfo>;
  /** Entries allowed on this charger (before the capacity cut). */
  wanted: number;
  /** Left out because the charger's list is full. */
  omitted: number;
}

export function planList(candidates: ListCandidate[], capacity: number | null): ListPlan {
  const fits = capacity === null || candidates.length <= capacity;
  const chosen = fits
    ? candidates
    : [...candidates]
        .sort(
          (a, b) =>
            a.group - b.group ||
            b.lastUsedAt - a.lastUsedAt ||
            b.createdAt - a.createdAt ||
            (a.idTag < b.idTag ? -1 : a.idTag > b.idTag ? 1 : 0),
        )
        .slice(0, Math.max(0, capacity));
  return {
    entries: new Map(chosen.map((c) => [c.idTag, c.info])),
    wanted: candidates.length,
    omitted: candidates.length - chosen.length,
  };
}

export interface ListEntry {
  idTag: string;
  idTagInfo?: IdTagInfo;
}

/** What turns `held` into `wanted`: additions and changes with idTagInfo, removals without. */
export function differences(
  held: Map<string, IdTagInfo>,
  wanted: Map<string, IdTagInfo>,
): ListEntry[] {
  const out: ListEntry[] = [];
  for (const [idTag, info] of wanted) {
    if (JSON.stringify(held.get(idTag)) !== JSON.stringify(info))
      out.push({ idTag, idTagInfo: info });
  }
  for (const idTag of held.keys()) if (!wanted.has(idTag)) out.push({ idTag });
  return out;
}

/** True when an entry the charger holds is gone or no longer Accepted (its cache may hold it). */
export function revokes(held: Map<string, IdTagInfo>, wanted: Map<string, IdTagInfo>): boolean {
  for (const [idTag, info] of held) {
    const now = wanted.get(idTag);
    if (!now || (info.status === 'Accepted' && now.status !== 'Accepted')) return true;
    if (now.expiryDate !== undefined && now.expiryDate !== info.expiryDate) {
      if (info.expiryDate === undefined || now.expiryDate < info.expiryDate) return true;
    }
  }
  return false;
}

/** Pieces of at most `size` entries (SendLocalListMaxLength); one empty piece for an empty list. */
export function pieces<T>(items: T[], size: number | null): T[][] {
  const n = size === null || size < 1 ? Math.max(1, items.length) : size;
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out.length > 0 ? out : [[]];
}
