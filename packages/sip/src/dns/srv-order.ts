/** An SRV record as `node:dns` returns it. */
export interface SrvRecord {
  readonly name: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
}

/** A source of uniform numbers in [0, 1) (injectable for tests). */
export type RandomSource = () => number;

/** Records grouped by ascending priority, arrival order kept inside a group. */
function byPriority(records: readonly SrvRecord[]): SrvRecord[][] {
  const groups = new Map<number, SrvRecord[]>();
  for (const record of records) groups.set(record.priority, [...(groups.get(record.priority) ?? []), record]);
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

/**
 * RFC 2782 ordering: ascending priority; inside a priority, repeated weighted random picks on
 * the running sum (weight-0 records first, so they are picked only when drawn at 0).
 */
export function orderSrvRfc2782(records: readonly SrvRecord[], random: RandomSource = Math.random): SrvRecord[] {
  const ordered: SrvRecord[] = [];
  for (const group of byPriority(records)) {
    const remaining = [...group.filter((record) => record.weight === 0), ...group.filter((record) => record.weight > 0)];
    while (remaining.length > 0) {
      const total = remaining.reduce((sum, record) => sum + record.weight, 0);
      const pick = random() * (total + 1);
      let running = 0;
      let index = remaining.findIndex((record) => {
        running += record.weight;
        return running >= Math.floor(pick);
      });
      if (index < 0) index = remaining.length - 1;
      ordered.push(...remaining.splice(index, 1));
    }
  }
  return ordered;
}

/**
 * chan_sip's ordering (Asterisk 20 main/srv.c `srv_callback()` + `process_weights()`): ascending
 * priority, and when any record has a weight, inside each priority a draw of 1..sum compared with
 * each record's *own* weight (not the running sum), the first record whose weight reaches the
 * draw being taken next. chan_sip then uses only the first record.
 */
export function orderSrvChanSip(records: readonly SrvRecord[], random: RandomSource = Math.random): SrvRecord[] {
  const groups = byPriority(records);
  if (!records.some((record) => record.weight > 0)) return groups.flat();
  const ordered: SrvRecord[] = [];
  for (const group of groups) {
    const remaining = [...group];
    // The draw repeats until some record's weight reaches it; the cap only guards a broken random source.
    for (let draws = 0; remaining.length > 0 && draws < 10_000; draws++) {
      const total = remaining.reduce((sum, record) => sum + record.weight, 0);
      if (total === 0) {
        ordered.push(...remaining.splice(0));
        break;
      }
      const draw = 1 + Math.floor(total * random());
      const index = remaining.findIndex((record) => record.weight >= draw);
      if (index >= 0) ordered.push(...remaining.splice(index, 1));
    }
    ordered.push(...remaining);
  }
  return ordered;
}
