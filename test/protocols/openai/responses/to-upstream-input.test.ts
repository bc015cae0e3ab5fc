import { describe, expect, it } from 'vitest';
import { body, contentsOf, declarationsOf, systemOf, translate } from './to-upstream.fixtures.ts';

describe('input forms', () => {
  it('a string input is one user turn', () => {
    expect(contentsOf(translate(body('Hello')).request)).toEqual([
      { role: 'user', parts: [{ text: 'Hello' }] },
    ]);
  });

  it('system and developer messages anywhere join the system instruction in order, after instructions', () => {
    const { request } = translate(
      body(
        [
          { role: 'system', content: 'S1' },
          { role: 'user', content: 'q' },
          { role: 'developer', content: [{ type: 'input_text', text: 'D2' }] },
          { role: 'assistant', content: 'a' },
        ],
        { instructions: 'I0' },
      ),
    );
    expect(systemOf(request)).toEqual(['I0', 'S1', 'D2']);
    expect(contentsOf(request).map((content) => content.role)).toEqual(['user', 'model']);
  });

  it('instructions as input items give their texts; other shapes say nothing', () => {
    const items = [{ role: 'developer', content: [{ type: 'input_text', text: 'from a prompt' }] }, 'plain'];
    expect(systemOf(translate(body('q', { instructions: items })).request)).toEqual([
      'from a prompt',
      'plain',
    ]);
    expect(translate(body('q', { instructions: { a: 1 } })).request.systemInstruction).toBeUndefined();
  });

  it('images and files: data URLs inline, other URLs as fileData, file ids dropped', () => {
    const { request } = translate(
      body([
        {
          role: 'user',
          content: [
            { type: 'input_image', image_url: 'https://example.com/cat.jpg' },
            { type: 'input_image', file_id: 'file-123' },
            { type: 'input_file', file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' },
            { type: 'input_file', file_data: 'SGVsbG8=', filename: 'notes.txt' },
            { type: 'input_file', file_url: 'https://example.com/spec.pdf' },
            { type: 'input_file', file_id: 'file-456' },
          ],
        },
      ]),
    );
    expect(contentsOf(request)[0]!.parts).toEqual([
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.jpg' } },
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
      { inlineData: { mimeType: 'text/plain', data: 'SGVsbG8=' } },
      { fileData: { mimeType: 'application/pdf', fileUri: 'https://example.com/spec.pdf' } },
    ]);
  });

  it('arguments that are not a JSON object are kept whole under params; a tool output list gives text and media', () => {
    const { request } = translate(
      body([
        { role: 'user', content: 'q' },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: 'not json' },
        { type: 'function_call', call_id: 'c2', name: 'f', arguments: '' },
        {
          type: 'function_call_output',
          call_id: 'c1',
          output: [
            { type: 'input_text', text: 'line 1' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA' },
            { type: 'input_text', text: 'line 2' },
          ],
        },
        { type: 'function_call_output', call_id: 'c2', output: '' },
      ]),
    );
    const [, model, user] = contentsOf(request);
    expect(model!.parts.map((part) => part.functionCall?.args)).toEqual([{ params: 'not json' }, {}]);
    expect(user!.parts).toEqual([
      { functionResponse: { id: 'c1', name: 'f', response: { result: 'line 1\nline 2' } } },
      { functionResponse: { id: 'c2', name: 'f', response: { result: '' } } },
      { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
    ]);
  });

  it('an output whose call is not in the history still gets a name', () => {
    const { request } = translate(
      body([{ type: 'custom_tool_call_output', call_id: 'apply_patch-7', output: 'ok' }]),
    );
    expect(contentsOf(request)[0]!.parts[0]).toEqual({
      functionResponse: { id: 'apply_patch-7', name: 'apply_patch', response: { result: 'ok' } },
    });
  });

  it('tool names Gemini refuses are sanitised, and the answer side learns the way back', () => {
    const { request, toolNames } = translate(
      body('q', { tools: [{ type: 'function', name: 'mcp.fs.read file', parameters: { type: 'object' } }] }),
    );
    expect(declarationsOf(request)[0]!.name).toBe('mcp_fs_read_file');
    expect(toolNames.get('mcp_fs_read_file')).toBe('mcp.fs.read file');
  });
});
