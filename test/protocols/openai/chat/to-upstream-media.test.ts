import { describe, expect, it } from 'vitest';
import { PNG_BASE64 } from './request-fixtures.ts';
import { body, translate, upstream, user, type Json } from './to-upstream.fixtures.ts';

describe('media', () => {
  it('http(s) image URLs: a fileData placeholder, listed for the adapter to fetch', () => {
    const { request, remoteImages } = translate(
      body([
        user([
          { type: 'text', text: 'Compare' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png?size=2', detail: 'high' } },
          { type: 'image_url', image_url: 'https://example.com/b' },
        ]),
      ]),
    );
    expect(request.contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'Compare' },
          { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/a.png?size=2' } },
          { fileData: { mimeType: 'image/*', fileUri: 'https://example.com/b' } },
        ],
      },
    ]);
    expect(remoteImages).toEqual([
      { url: 'https://example.com/a.png?size=2', detail: 'high' },
      { url: 'https://example.com/b' },
    ]);
  });

  it('audio and files inline, with the right MIME type', () => {
    const out = upstream(
      body([
        user([
          { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          { type: 'input_audio', input_audio: { data: 'SUQz', format: 'mp3' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
          { type: 'file', file: { file_data: 'aGVsbG8=', filename: 'notes.txt' } },
          { type: 'file', file: { file_data: 'JVBERi0=' } },
        ]),
      ]),
    );
    expect(out.contents).toEqual([
      {
        role: 'user',
        parts: [
          { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
          { inlineData: { mimeType: 'audio/mpeg', data: 'SUQz' } },
          { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
          { inlineData: { mimeType: 'text/plain', data: 'aGVsbG8=' } },
          { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
        ],
      },
    ]);
  });

  it('an image this proxy answered as markdown comes back as an image, not as text', () => {
    const out = upstream(
      body([
        user('draw'),
        {
          role: 'assistant',
          content: `Here is a red dot:![image](data:image/png;base64,${PNG_BASE64}) Nice?`,
        },
        user('bigger'),
      ]),
    );
    expect((out.contents as Json[])[1]).toEqual({
      role: 'model',
      parts: [
        { text: 'Here is a red dot:' },
        { inlineData: { mimeType: 'image/png', data: PNG_BASE64 } },
        { text: ' Nice?' },
      ],
    });
  });
});
