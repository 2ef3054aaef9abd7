// Merges the per-domain handler groups into the one map the dispatcher serves. A method name in
// two groups is a compile error naming it (and, should a cast ever hide it, a start-up error):
// spreading the groups would silently keep the last one.

/** Every key of every member of a union (keyof on a union gives only the shared keys). */
type KeysOfEach<T> = T extends unknown ? keyof T : never;

/** Method names found in more than one of the groups. */
export type DuplicateNames<G extends readonly unknown[]> = G extends readonly [
  infer Head,
  ...infer Rest,
]
  ? (keyof Head & KeysOfEach<Rest[number]>) | DuplicateNames<Rest>
  : never;

type Merged<G extends readonly unknown[]> = G extends readonly [infer Head, ...infer Rest]
  ? Head & Merged<Rest>
  : unknown;

/** `unknown` when the groups are disjoint; otherwise a type no group satisfies, naming the clash. */
type NoDuplicates<G extends readonly unknown[]> = [DuplicateNames<G>] extends [never]
  ? unknown
  : { 'duplicate handler for method': DuplicateNames<G> };

export function mergeHandlers<const G extends readonly object[]>(
  ...groups: G & NoDuplicates<G>
): Merged<G> {
  const merged: Record<string, unknown> = {};
  for (const group of groups as readonly object[]) {
    for (const [name, handler] of Object.entries(group)) {
      if (Object.prototype.hasOwnProperty.call(merged, name)) {
        throw new Error(`Two handler groups both handle the method '${name}'.`);
      }
      merged[name] = handler;
    }
  }
  return merged as Merged<G>;
}
