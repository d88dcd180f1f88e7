/**
 * The shop's NLU review queue (issue 8 item 6): customer messages the classifier was unsure of,
 * that the customer corrected, or that ended in a handoff. Items are written with the turn
 * (commitTurn, same transaction) and labelled or dismissed by `npx shopdesk nlu review`.
 */
import { z } from 'zod';
import type { Db } from '../../db/database-client.js';
import { AppError } from '../../shared/app-error.js';
import { isUniqueViolation } from '../audit-log.js';

export const NLU_REVIEW_REASONS = ['low_confidence', 'corrected', 'handed_off'] as const;
export type NluReviewReason = (typeof NLU_REVIEW_REASONS)[number];
export const NLU_REVIEW_STATUSES = ['pending', 'labelled', 'dismissed'] as const;
export type NluReviewStatus = (typeof NLU_REVIEW_STATUSES)[number];

/** What the engine hands commitTurn: `text` must already be sanitised (no personal data). */
export const NluReviewDraftSchema = z.object({
  text: z.string().trim().min(1).max(500),
  lang: z.string().min(1).max(10),
  predictedIntent: z.string().min(1).max(64),
  confidence: z.number().min(0).max(1),
  reason: z.enum(NLU_REVIEW_REASONS),
  suggestedIntent: z.string().min(1).max(64).optional(),
});
export type NluReviewDraft = z.infer<typeof NluReviewDraftSchema>;

export interface NluReviewItemView {
  id: number;
  messageId: number;
  text: string;
  lang: string;
  predictedIntent: string;
  confidence: number;
  reason: NluReviewReason;
  suggestedIntent: string | null;
  status: NluReviewStatus;
  label: string | null;
  labelledBy: string | null;
  createdAt: Date;
}

/** The row data for one review item of inbound message `messageId` (used inside commitTurn's batch). */
export function reviewItemData(messageId: number, draft: NluReviewDraft, now: Date) {
  const d = NluReviewDraftSchema.parse(draft);
  return { messageId, text: d.text, lang: d.lang, predictedIntent: d.predictedIntent, confidence: d.confidence, reason: d.reason, suggestedIntent: d.suggestedIntent ?? null, createdAt: now };
}

function view(r: { reason: string; status: string } & Omit<NluReviewItemView, 'reason' | 'status'>): NluReviewItemView {
  return { ...r, reason: r.reason as NluReviewReason, status: r.status as NluReviewStatus };
}

export function createNluReviewStore(db: Db) {
  return {
    /** Records an item after the fact; a second call for the same message changes nothing. */
    async record(messageId: number, draft: NluReviewDraft, now = new Date()): Promise<{ created: boolean }> {
      try {
        await db.nluReviewItem.create({ data: reviewItemData(messageId, draft, now), select: { id: true } });
        return { created: true };
      } catch (err) {
        if (isUniqueViolation(err)) return { created: false };
        throw err;
      }
    },
    list: async (opts: { status?: NluReviewStatus; limit?: number } = {}): Promise<NluReviewItemView[]> => {
      const rows = await db.nluReviewItem.findMany({ where: { status: opts.status ?? 'pending' }, orderBy: { id: 'asc' }, take: Math.min(opts.limit ?? 100, 1000) });
      return rows.map(view);
    },
    get: async (id: number): Promise<NluReviewItemView | undefined> => {
      const r = await db.nluReviewItem.findUnique({ where: { id } });
      return r ? view(r) : undefined;
    },
    /** Marks a pending item labelled; NOT_FOUND when there is none, CONFLICT when it was already decided. */
    label: (id: number, label: string, actor: string, now = new Date()) => decide(db, id, { status: 'labelled', label, labelledBy: actor, labelledAt: now }),
    dismiss: (id: number, actor: string, now = new Date()) => decide(db, id, { status: 'dismissed', labelledBy: actor, labelledAt: now }),
  };
}

async function decide(db: Db, id: number, data: { status: NluReviewStatus; label?: string; labelledBy: string; labelledAt: Date }): Promise<NluReviewItemView> {
  const res = await db.nluReviewItem.updateMany({ where: { id, status: 'pending' }, data });
  const row = await db.nluReviewItem.findUnique({ where: { id } });
  if (!row) throw new AppError('NOT_FOUND', `NLU review item ${id} does not exist`, { userMessage: `No review item ${id}` });
  if (res.count === 0) throw new AppError('CONFLICT', `NLU review item ${id} is already ${row.status}`, { userMessage: `Review item ${id} is already ${row.status}` });
  return view(row);
}

export type NluReviewStore = ReturnType<typeof createNluReviewStore>;
