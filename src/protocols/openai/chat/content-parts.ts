/**
 * Chat Completions content parts → v1internal parts (wire.md §6.3, §6.8 #39).
 *
 * - `data:` URLs (images, files) become `inlineData`; audio is base64 with a format name.
 * - An `http(s)` image URL cannot be inlined by a pure translator (fetching needs size limits,
 *   timeouts and an allow-list): it becomes the placeholder part `{fileData:{mimeType, fileUri:url}}`
 *   and is listed in `remoteImages`, so the adapter can fetch each one and replace the placeholder
 *   (the part whose `fileData.fileUri` is that URL) with `inlineData`. Left as is, the placeholder is
 *   a valid v1internal part that Gemini may or may not be able to read.
 * - Images this proxy sent as markdown (`![image](data:…)`, the response side's form) come back in
 *   assistant text; they are turned into `inlineData` again instead of being read as megabytes of text.
 */
import { mimeTypeOfUrl } from '../../anthropic/media.ts';
import type { AssistantPart, UserPart } from './request-schema.ts';

type Part = Record<string, unknown>;

export interface RemoteImage {
  url: string;
  detail?: string;
}

/** Where the parts of one request collect their remote images. */
export type RemoteImages = RemoteImage[];

/** The placeholder's MIME type when the URL's extension names none. */
const UNKNOWN_IMAGE_MIME = 'image/*';

const AUDIO_MIME: Record<string, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  mpeg: 'audio/mpeg',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  m4a: 'audio/mp4',
  webm: 'audio/webm',
  aiff: 'audio/aiff',
  pcm16: 'audio/pcm',
};

/** `data:<mime>;base64,<data>` → `{mimeType, data}`; `undefined` for anything else. */
export function parseDataUrl(url: string): { mimeType: string; data: string } | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma < 0) return undefined;
  const header = url.slice(5, comma);
  if (!/;base64$/i.test(header)) return undefined;
  const mimeType = header.slice(0, -';base64'.length).split(';', 1)[0] ?? '';
  return { mimeType: mimeType || 'application/octet-stream', data: url.slice(comma + 1) };
}

function imagePart(url: string, detail: string | null | undefined, remote: RemoteImages): Part {
  const inline = parseDataUrl(url);
  if (inline) return { inlineData: inline };
  remote.push(detail ? { url, detail } : { url });
  return { fileData: { mimeType: mimeTypeOfUrl(url) ?? UNKNOWN_IMAGE_MIME, fileUri: url } };
}

/** A file part: a data URL, or bare base64 whose type the file name tells (PDF when it does not). */
function filePart(file: { file_data?: string | null; filename?: string | null }): Part | undefined {
  const data = file.file_data;
  if (!data) return undefined;
  const inline = parseDataUrl(data);
  if (inline) return { inlineData: inline };
  const mimeType = (file.filename ? mimeTypeOfUrl(file.filename) : undefined) ?? 'application/pdf';
  return { inlineData: { mimeType, data } };
}

/**
 * The parts of a user (or tool) message's content. `keepText` decides which text is worth sending
 * (Claude refuses empty text blocks).
 */
export function userParts(
  content: string | readonly UserPart[],
  keepText: (text: string) => boolean,
  remote: RemoteImages,
): Part[] {
  if (typeof content === 'string') return keepText(content) ? [{ text: content }] : [];
  const parts: Part[] = [];
  for (const part of content) {
    switch (part.type) {
      case 'text':
        if (keepText(part.text)) parts.push({ text: part.text });
        break;
      case 'image_url': {
        const image = typeof part.image_url === 'string' ? { url: part.image_url } : part.image_url;
        parts.push(imagePart(image.url, 'detail' in image ? image.detail : undefined, remote));
        break;
      }
      case 'input_audio': {
        const format = part.input_audio.format.toLowerCase();
        const mimeType = AUDIO_MIME[format] ?? `audio/${format}`;
        parts.push({ inlineData: { mimeType, data: part.input_audio.data } });
        break;
      }
      case 'file': {
        const file = filePart(part.file);
        if (file) parts.push(file);
        break;
      }
    }
  }
  return parts;
}

/** The text of a text-only content (system, developer, tool results), parts joined by newlines. */
export function textOf(content: string | readonly { type: string; text?: string }[] | null): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part) => (typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

/** `![alt](data:image/png;base64,…)`: the markdown the response side writes for an image. */
const MARKDOWN_IMAGE = /!\[[^\]\n]*\]\((data:image\/[a-zA-Z0-9.+-]+;base64,[A-Za-z0-9+/=]+)\)/g;

/** Assistant text as parts: text, with the markdown data-URL images this proxy wrote turned back into images. */
export function assistantTextParts(text: string, keepText: (text: string) => boolean): Part[] {
  if (!text.includes('](data:image/')) return keepText(text) ? [{ text }] : [];
  const parts: Part[] = [];
  let from = 0;
  for (const match of text.matchAll(MARKDOWN_IMAGE)) {
    const before = text.slice(from, match.index);
    if (keepText(before)) parts.push({ text: before });
    parts.push({ inlineData: parseDataUrl(match[1]!)! });
    from = match.index + match[0].length;
  }
  const rest = text.slice(from);
  if (keepText(rest)) parts.push({ text: rest });
  return parts;
}

/** An assistant message's content as parts (refusals are what the assistant said). */
export function assistantParts(
  content: string | readonly AssistantPart[] | null | undefined,
  keepText: (text: string) => boolean,
): Part[] {
  if (content == null) return [];
  if (typeof content === 'string') return assistantTextParts(content, keepText);
  return content.flatMap((part) =>
    assistantTextParts(part.type === 'text' ? part.text : part.refusal, keepText),
  );
}
