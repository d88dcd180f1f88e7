/**
 * The seam between staff tools (Slack, Teams, WeCom…) and the managers' assistant (issue 9): a
 * staff member's question in a tool — a direct message to the bot, an @mention outside a handoff
 * thread — goes here, never to a customer. The tool knows only who asked on its side; the
 * assistant resolves that to a staff member (`shopdesk staff link`), applies their role and writes
 * the audit log. Lives in shared/ so channel adapters can call it without knowing the assistant.
 */
export interface AssistantAsker {
  /** The tool, as in `StaffIdentity.channel`: slack | teams | … */
  source: string;
  /** The asker's user id on that tool. */
  externalStaffId: string;
}

/** Expected outcomes are values: the tool shows `text` or `message` to the asker as it is. */
export type AssistantAnswer =
  | { ok: true; text: string; /** A chart for trends and breakdowns, when the answer has one. */ chartPng?: Uint8Array }
  | { ok: false; reason: 'not_enabled' | 'unknown_staff' | 'not_allowed' | 'failed'; message: string };

export interface AssistantPort {
  ask(question: string, asker: AssistantAsker): Promise<AssistantAnswer>;
}

/** The stand-in until the assistant is wired in the composition root: it says so, politely. */
export const ASSISTANT_NOT_ENABLED: AssistantPort = {
  async ask() {
    return {
      ok: false,
      reason: 'not_enabled',
      message: 'The shop assistant is not enabled on this shopdesk yet, so I cannot answer questions here. 店铺助手尚未启用，暂时无法在这里回答问题。Handoff threads still work: reply in a handoff\'s thread to answer that customer.',
    };
  },
};
