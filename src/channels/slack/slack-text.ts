/**
 * Text between shopdesk and Slack's mrkdwn, both ways. Pure functions.
 *
 * Outgoing: Slack reads `<…>` as links and mentions, so a customer typing `<!channel>` would ping
 * the whole channel; `&`, `<` and `>` are escaped in everything shopdesk did not write itself.
 * Incoming: a staff member's reply arrives with Slack's markup (`<@U123>`, `<https://…|label>`,
 * `&amp;`); the customer gets plain text.
 */

/** Escapes the three characters Slack treats as control sequences. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to at most `max` characters (by code point), marking the cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Slack's message markup to plain text; mentions of `dropUser` (the bot) disappear. */
export function fromSlackMarkup(text: string, dropUser?: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_m, inner: string) => {
      const [target, label] = inner.split('|', 2) as [string, string | undefined];
      if (target.startsWith('@')) return target.slice(1) === dropUser ? '' : `@${label ?? target.slice(1)}`;
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      if (target.startsWith('!')) return label ?? '';
      if (target.startsWith('mailto:')) return label ?? target.slice(7);
      return label && label !== target ? `${label} (${target})` : target;
    })
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/** Removes a leading mention of `user` (the bot: `<@U0BOT> question`); any user when none is given. */
export function withoutLeadingMention(text: string, user?: string): string {
  const who = user ? user.replace(/[^A-Z0-9]/gi, '') : '[A-Z0-9]+';
  return text.replace(new RegExp(`^\\s*<@${who}(?:\\|[^>]*)?>[\\s,:，：]*`), '');
}

/** The user a message starts by addressing (`<@U0ANN> can you take this?`), if any. */
export function leadingMention(text: string): string | undefined {
  return /^\s*<@([A-Z0-9]+)(?:\|[^>]*)?>/.exec(text)?.[1];
}

/**
 * Whether a staff member's thread reply is an internal note: `note:` (any case) or `备注:` with a
 * half- or full-width colon. Returns the note's text, or undefined for a customer reply.
 */
export function noteText(text: string): string | undefined {
  const m = /^\s*(?:note|备注|內部備註|内部备注)\s*[:：]\s*/i.exec(text);
  return m ? text.slice(m[0].length).trim() : undefined;
}
