import { describe, expect, it } from 'vitest';
import { clip, escapeMrkdwn, fromSlackMarkup, noteText, withoutLeadingMention } from './slack-text.js';

describe('text between shopdesk and Slack', () => {
  it('escapes what Slack would read as a mention or link', () => {
    expect(escapeMrkdwn('<!channel> a&b <@U1>')).toBe('&lt;!channel&gt; a&amp;b &lt;@U1&gt;');
  });

  it('turns Slack markup into plain text for the customer', () => {
    expect(fromSlackMarkup('Hi <@U0BOT>, see <https://x.example/a|the page> or <https://x.example/b> &lt;3 <#C1|support> <!here> <mailto:a@b.cn|a@b.cn>', 'U0BOT'))
      .toBe('Hi , see the page (https://x.example/a) or https://x.example/b <3 #support a@b.cn');
  });

  it('recognises notes in English and Chinese with either colon', () => {
    expect(noteText('note: check stock')).toBe('check stock');
    expect(noteText('NOTE：检查库存')).toBe('检查库存');
    expect(noteText('备注: 老顾客')).toBe('老顾客');
    expect(noteText('notebook arrived?')).toBeUndefined();
  });

  it('drops only the bot\'s leading mention when it is known', () => {
    expect(withoutLeadingMention('<@U0BOT>：你好', 'U0BOT')).toBe('你好');
    expect(withoutLeadingMention('<@U0ANN> 你好', 'U0BOT')).toBe('<@U0ANN> 你好');
  });

  it('clips by characters, not UTF-16 units', () => {
    expect(clip('😀😀😀', 2)).toBe('😀…');
    expect(clip('短', 5)).toBe('短');
  });
});
