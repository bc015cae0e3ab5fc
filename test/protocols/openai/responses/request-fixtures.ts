/**
 * A Codex CLI request body (wire.md §5.6; codex-rs `ResponsesApiRequest`) for the request-side
 * tests: instructions, developer permissions, AGENTS.md and environment context, a shell loop, an
 * `apply_patch` freeform call, reasoning items with encrypted_content, store:false, prompt_cache_key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseResponsesBody,
  type ResponsesRequest,
} from '../../../../src/protocols/openai/responses/request-schema.ts';
import { ROOT } from '../../../helpers/cli.ts';

/** The signatures on the fixture's two reasoning items. */
export const FIRST_SIGNATURE = 'RXBnQkNrZ0lEQkFDR0FJcVFJY29kZXhyZWFzb25pbmdzaWduYXR1cmVvbmV0aGlua2luZw==';
export const SECOND_SIGNATURE = 'RXBnQkNrZ0lEQkFDR0FJcVFJY29kZXhyZWFzb25pbmdzaWduYXR1cmV0d29wYXRjaGluZw==';
export const PATCH =
  '*** Begin Patch\n*** Update File: src/app.ts\n@@ export function main() {\n-  const retries = 1;\n+  const retries = 3;\n*** End Patch\n';

export function codexBody(): Record<string, unknown> {
  return JSON.parse(
    readFileSync(join(ROOT, 'test', 'fixtures', 'openai-responses', 'codex-request.json'), 'utf8'),
  ) as Record<string, unknown>;
}

export function parse(body: unknown): ResponsesRequest {
  const result = parseResponsesBody(body);
  if (!result.ok) throw new Error(result.message);
  return result.request;
}
