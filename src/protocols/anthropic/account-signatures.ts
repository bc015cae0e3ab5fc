/**
 * The account-bound step of Claude thinking replay (product.md §3, wire.md §6.8 #5): a Claude
 * thinking signature is valid only on the account that issued it, so a conversation that moved
 * to another account (rotation, a new sticky binding) sends its earlier thinking without the
 * signatures that account cannot verify — and without the thinking they sign — instead of
 * failing with "Invalid `signature` in `thinking` block". Runs once per attempt.
 */
import type { SignatureLookup } from '../shared/signature-book.ts';
import type { Content } from './content.ts';
import { thinkingEnabled } from './thinking-config.ts';
import { closeToolLoop } from './tool-loop.ts';

type Json = Record<string, unknown>;
type Part = Record<string, unknown>;

function vouchedFor(signature: unknown, accountId: string, lookup: SignatureLookup): boolean {
  if (typeof signature !== 'string') return false;
  const issuer = lookup.issuerOf(signature);
  return issuer?.family === 'claude' && issuer.accountId === accountId;
}

/** A model turn as `accountId` may receive it, or the same object when nothing changes. */
function turnFor(content: Content, accountId: string, lookup: SignatureLookup): Content {
  let parts: Part[] | undefined;
  content.parts.forEach((part, index) => {
    if (part.thoughtSignature === undefined || vouchedFor(part.thoughtSignature, accountId, lookup)) {
      parts?.push(part);
      return;
    }
    parts ??= content.parts.slice(0, index);
    // Unverifiable thinking goes whole; a call or text keeps its content without the signature.
    if (part.thought === true) return;
    const { thoughtSignature: _dropped, ...rest } = part;
    parts.push(rest);
  });
  if (parts === undefined) return content;
  // Claude refuses an empty turn (wire.md §2.12 #4).
  return { ...content, parts: parts.length > 0 ? parts : [{ text: '.' }] };
}

export function keepSignaturesOf(request: Json, accountId: string, lookup: SignatureLookup): Json {
  const contents = request.contents as Content[] | undefined;
  if (!Array.isArray(contents)) return request;
  let changed = false;
  const kept = contents.map((content) => {
    if (content.role !== 'model') return content;
    const turn = turnFor(content, accountId, lookup);
    if (turn !== content) changed = true;
    return turn;
  });
  if (!changed) return request;
  const thinking = thinkingEnabled(request.generationConfig as Json | undefined);
  // The tool loop's last turn may have lost the thinking Claude expects there: close the loop.
  return { ...request, contents: thinking ? closeToolLoop(kept) : kept };
}
