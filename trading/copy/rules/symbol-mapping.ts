import type { SymbolNaming } from "./copy-settings.ts";

/** A master symbol translated to the slave broker's name, or the loop that made it impossible. */
export type MappedSymbol = { symbol: string; cycle?: undefined } | { symbol?: undefined; cycle: string[] };

function strip(symbol: string, naming: SymbolNaming): string {
  let s = symbol;
  if (naming.stripPrefix && s.startsWith(naming.stripPrefix) && s.length > naming.stripPrefix.length) s = s.slice(naming.stripPrefix.length);
  if (naming.stripSuffix && s.endsWith(naming.stripSuffix) && s.length > naming.stripSuffix.length) s = s.slice(0, -naming.stripSuffix.length);
  return s;
}

/**
 * The slave's symbol for a master symbol. An explicit pair (looked up for the symbol as the master names it,
 * then with the master broker's prefix/suffix stripped) is followed recursively — A→B and B→C give C — and
 * its final target is taken literally; a symbol without a pair gets the slave broker's prefix/suffix added.
 * A loop (A→B→A) is reported instead of followed.
 */
export function mapSymbol(symbol: string, mapping: Readonly<Record<string, string>>, naming: SymbolNaming = {}): MappedSymbol {
  const stripped = strip(symbol, naming);
  const start = Object.hasOwn(mapping, symbol) ? symbol : Object.hasOwn(mapping, stripped) ? stripped : undefined;
  if (start === undefined) return { symbol: `${naming.addPrefix ?? ""}${stripped}${naming.addSuffix ?? ""}` };
  const seen = [start];
  let current = start;
  while (Object.hasOwn(mapping, current)) {
    current = mapping[current]!;
    if (seen.includes(current)) return { cycle: [...seen.slice(seen.indexOf(current)), current] };
    seen.push(current);
  }
  return { symbol: current };
}

/** Every loop among the explicit pairs, each once (as `A → B → A`), for validation. */
export function mappingCycles(mapping: Readonly<Record<string, string>>): string[][] {
  const found = new Map<string, string[]>();
  for (const from of Object.keys(mapping)) {
    const r = mapSymbol(from, mapping);
    if (r.cycle) {
      const key = [...r.cycle.slice(0, -1)].sort().join(",");
      if (!found.has(key)) found.set(key, r.cycle);
    }
  }
  return [...found.values()];
}
