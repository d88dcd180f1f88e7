/**
 * The managers' assistant as staff tools see it (the ask issue): a staff member's question from
 * Slack or Teams — a direct message to the bot, or an @mention outside a handoff thread — goes
 * here, never to a customer. The implementation must check that `from` names a linked staff
 * member allowed to ask (the adapters pass the tool's user id as they received it).
 */
export interface AssistantAnswer {
  text: string;
  /** A chart to show with the answer, when the question asked for one. */
  chartPng?: Buffer;
}

export interface AssistantPort {
  ask(question: string, from: { source: string; externalStaffId: string }): Promise<AssistantAnswer>;
}
