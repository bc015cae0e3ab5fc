import type { Content } from './validate-contents.ts';

/**
 * What the user actually asked, for the default reply to quote. Real clients wrap the prompt:
 * the Gemini CLI opens the chat with an environment block (`<session_context>This is the Gemini
 * CLI. We are setting up the context…`), Claude Code adds `<system-reminder>` blocks around the
 * prompt, and agent loops end with turns that only carry tool results.
 */

const WRAPPER_BLOCKS = /<(system-reminder|session_context|hook_context)>[\s\S]*?<\/\1>/g;
const CONTEXT_OPENERS = [
  '<session_context>',
  '<hook_context>',
  'This is the Gemini CLI. We are setting up the context',
];

function promptOf(text: string): string {
  const stripped = text.replace(WRAPPER_BLOCKS, '').trim();
  // An unclosed or unwrapped context block is still not the prompt.
  return CONTEXT_OPENERS.some((opener) => stripped.startsWith(opener)) ? '' : stripped;
}

/**
 * The last non-empty text part of the latest user turn that has one, once wrapper blocks are
 * removed; thought parts and turns made only of function responses do not count.
 */
export function lastUserText(contents: readonly Content[]): string {
  for (let i = contents.length - 1; i >= 0; i--) {
    const content = contents[i];
    if (content?.role !== 'user') continue;
    for (let j = content.parts.length - 1; j >= 0; j--) {
      const part = content.parts[j];
      if (!part || part.thought === true || part.text === undefined) continue;
      const prompt = promptOf(part.text);
      if (prompt) return prompt;
    }
  }
  return '';
}
