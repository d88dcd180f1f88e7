import Database from 'better-sqlite3';
import pg from 'pg';
import type { ChatCustomer } from './chat-burst.js';

/** One line of the suite's JSON. */
export interface RunResult {
  name: string;
  sent: number;
  acknowledged: number;
  answeredOnce: number;
  lost: number;
  duplicates: number;
  orderViolations: number;
  p99Ms: number | null;
  [extra: string]: unknown;
}

/** Reads which replies the engine stored for which inbound message, straight from the database. */
export async function repliesByInbound(db: { provider: 'sqlite' | 'postgres'; url: string }, inboundIds: number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (inboundIds.length === 0) return out;
  let rows: { id: number; replyToId: number }[];
  if (db.provider === 'sqlite') {
    const conn = new Database(db.url.replace(/^file:/, ''), { readonly: true, fileMustExist: true });
    try {
      rows = conn.prepare(`SELECT id, replyToId FROM Message WHERE direction = 'out' AND replyToId IN (${inboundIds.map(() => '?').join(',')})`).all(...inboundIds) as typeof rows;
    } finally {
      conn.close();
    }
  } else {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      rows = (await c.query(`SELECT id, "replyToId" FROM "Message" WHERE direction = 'out' AND "replyToId" = ANY($1::int[])`, [inboundIds])).rows as typeof rows;
    } finally {
      await c.end();
    }
  }
  for (const r of rows) out.set(Number(r.replyToId), [...(out.get(Number(r.replyToId)) ?? []), Number(r.id)]);
  return out;
}

/** Whether every acknowledged message has all its replies on its customer's screen. */
export function allAnswered(customers: ChatCustomer[], replies: Map<number, number[]>): boolean {
  for (const c of customers) {
    for (const m of c.sent) {
      if (m.messageId === undefined) return false;
      const ids = replies.get(m.messageId);
      if (!ids?.length || !ids.every((id) => c.record.seenAt.has(id))) return false;
    }
  }
  return true;
}

export function measure(name: string, customers: ChatCustomer[], replies: Map<number, number[]>): RunResult {
  let sent = 0, acknowledged = 0, answeredOnce = 0, lost = 0, duplicates = 0, orderViolations = 0;
  const latencies: number[] = [];
  for (const c of customers) {
    for (const count of c.record.liveCount.values()) if (count > 1) duplicates += count - 1;
    const order = c.record.seenOrder;
    for (let i = 1; i < order.length; i++) if (order[i] < order[i - 1]) orderViolations++;
    for (const m of c.sent) {
      sent++;
      if (m.messageId === undefined) continue;
      acknowledged++;
      const ids = replies.get(m.messageId) ?? [];
      const seen = ids.filter((id) => c.record.seenAt.has(id));
      if (ids.length === 0 || seen.length < ids.length) {
        lost++;
        continue;
      }
      if (ids.every((id) => (c.record.liveCount.get(id) ?? 0) <= 1)) answeredOnce++;
      latencies.push(Math.min(...ids.map((id) => c.record.seenAt.get(id) as number)) - m.firstSentAt);
    }
  }
  latencies.sort((a, b) => a - b);
  const p99Ms = latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] : null;
  return { name, sent, acknowledged, answeredOnce, lost, duplicates, orderViolations, p99Ms };
}

/** For lost messages: where they stopped (inbound status, reply statuses, the stored error), counted. */
export async function diagnoseLost(db: { provider: 'sqlite' | 'postgres'; url: string }, customers: ChatCustomer[], replies: Map<number, number[]>): Promise<Record<string, number>> {
  const lost: { id: number; seen: boolean[] }[] = [];
  for (const c of customers) {
    for (const m of c.sent) {
      if (m.messageId === undefined) continue;
      const ids = replies.get(m.messageId) ?? [];
      if (ids.length === 0 || ids.some((id) => !c.record.seenAt.has(id))) lost.push({ id: m.messageId, seen: ids.map((id) => c.record.seenAt.has(id)) });
    }
  }
  if (lost.length === 0) return {};
  const ids = lost.map((l) => l.id);
  type Row = { id: number; replyToId: number | null; status: string; error: string | null; direction: string };
  let rows: Row[];
  const sql = (p: (i: number) => string) => `SELECT id, "replyToId", status, error, direction FROM "Message" WHERE id IN (${ids.map((_, i) => p(i)).join(',')}) OR "replyToId" IN (${ids.map((_, i) => p(i + ids.length)).join(',')})`;
  if (db.provider === 'sqlite') {
    const conn = new Database(db.url.replace(/^file:/, ''), { readonly: true });
    try {
      rows = conn.prepare(sql(() => '?')).all(...ids, ...ids) as Row[];
    } finally {
      conn.close();
    }
  } else {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      rows = (await c.query(sql((i) => `$${i + 1}`), [...ids, ...ids])).rows as Row[];
    } finally {
      await c.end();
    }
  }
  const out: Record<string, number> = {};
  for (const l of lost) {
    const inbound = rows.find((r) => r.id === l.id);
    const outs = rows.filter((r) => r.replyToId === l.id).map((r, i) => `${r.status}${l.seen[i] ? '' : '(unseen)'}`);
    const key = `in:${inbound?.status}${inbound?.error ? ` [${inbound.error.slice(0, 80)}]` : ''} out:${outs.join(',') || 'none'}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
