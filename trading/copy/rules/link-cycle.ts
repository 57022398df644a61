/** A copy link as the graph sees it: trades flow from `master` to `slave`. */
export interface LinkEdge {
  master: string;
  slave: string;
}

/**
 * The loop a new link would close, as the accounts along it (`[A, B, C, A]` for A→B→C→A), or null. A trade
 * copied around a loop would be copied again and again, so such a link is refused.
 */
export function linkCycle(existing: readonly LinkEdge[], added: LinkEdge): string[] | null {
  if (added.master === added.slave) return [added.master, added.slave];
  const followers = new Map<string, string[]>();
  for (const e of existing) followers.set(e.master, [...(followers.get(e.master) ?? []), e.slave]);
  // Breadth-first from the new slave: reaching the new master means the master already copies the slave.
  const cameFrom = new Map<string, string>([[added.slave, added.master]]);
  const queue = [added.slave];
  while (queue.length > 0) {
    const at = queue.shift()!;
    if (at === added.master) {
      const path = [at];
      for (let p = cameFrom.get(at)!; p !== added.master; p = cameFrom.get(p)!) path.unshift(p);
      return [added.master, ...path];
    }
    for (const next of followers.get(at) ?? []) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, at);
        queue.push(next);
      }
    }
  }
  return null;
}
