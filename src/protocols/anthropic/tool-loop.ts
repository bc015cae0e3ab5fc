/**
 * Thinking recovery (wire.md §6.8 #9; ACP `thinking-utils.js#closeToolLoopForThinking`).
 *
 * With thinking on, Claude refuses a tool loop whose last model turn does not start with its
 * thinking ("Expected `thinking` … but found `tool_use`"). When that thinking had to be dropped
 * (signed by another family, an expired or unknown signature, a session moved to another account),
 * the loop is closed with two short synthetic turns, so the model starts a fresh turn — with new
 * thinking — instead of the request failing. Works on v1internal contents, so the account-bound step
 * that drops more signatures later can run it again.
 */
import type { Content } from './content.ts';

type Part = Record<string, unknown>;

const hasPart = (content: Content, test: (part: Part) => boolean) => content.parts.some(test);
const isCall = (part: Part) => part.functionCall !== undefined;
const isResponse = (part: Part) => part.functionResponse !== undefined;
const isThought = (part: Part) => part.thought === true;

/** The contents, with the open tool loop closed when its last model turn lost its thinking. */
export function closeToolLoop(contents: readonly Content[]): Content[] {
  let lastModel = -1;
  for (let index = contents.length - 1; index >= 0; index--) {
    if (contents[index]!.role === 'model') {
      lastModel = index;
      break;
    }
  }
  const model = contents[lastModel];
  if (!model || !hasPart(model, isCall) || hasPart(model, isThought)) return [...contents];
  const results = contents
    .slice(lastModel + 1)
    .reduce((count, content) => count + content.parts.filter(isResponse).length, 0);
  if (results === 0) return [...contents];
  const summary = results === 1 ? '[Tool execution completed.]' : `[${results} tool executions completed.]`;
  // What the user added after the results (a new instruction) stays the last word, after the
  // synthetic turn; only when there is none does "[Continue]" stand in for it.
  const head = contents.slice(0, lastModel + 1);
  const resultTurns: Content[] = [];
  const added: Part[] = [];
  for (const content of contents.slice(lastModel + 1)) {
    const responses = content.parts.filter(isResponse);
    if (responses.length > 0) resultTurns.push({ ...content, parts: responses });
    added.push(...content.parts.filter((part) => !isResponse(part)));
  }
  return [
    ...head,
    ...resultTurns,
    { role: 'model', parts: [{ text: summary }] },
    { role: 'user', parts: added.length > 0 ? added : [{ text: '[Continue]' }] },
  ];
}
