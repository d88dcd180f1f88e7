import type { Db, Tx } from '../db/database-client.js';

export interface AuditEntry {
  /** Who acted: `staff:<id>`, `customer:<id>`, `system`, `cli`. */
  actor: string;
  action: string;
  entity: string;
  entityId: string | number;
  detail?: Record<string, unknown>;
}

/** Records who did what to which record. Detail must not carry message text or contact data. */
export async function recordAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entityId: String(entry.entityId),
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    },
  });
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'P2002' || /Unique constraint/i.test(e?.message ?? '');
}
