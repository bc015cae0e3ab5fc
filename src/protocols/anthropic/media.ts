/**
 * Images and documents → v1internal parts (wire.md §6.2, §6.8 #39).
 *
 * Remote URLs are passed as `fileData` (ACP's way) rather than fetched: fetching on the request path
 * would need size limits, timeouts and an allow-list that a pure translator cannot own. `data:` URLs
 * are inlined. Anthropic Files API ids (`source.type:"file"`) refer to storage this proxy does not
 * have; such blocks are dropped.
 */
import type { DocumentBlock, ImageBlock, SearchResultBlock } from './request-schema.ts';

type Part = Record<string, unknown>;

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  txt: 'text/plain',
};

/** The MIME type a URL's file extension names, if any (query and fragment ignored). */
export function mimeTypeOfUrl(url: string): string | undefined {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const extension = /\.([a-zA-Z0-9]{1,5})$/.exec(path)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : MIME_BY_EXTENSION[extension];
}

/** `data:<mime>;base64,<data>` → an inline part. */
function dataUrlPart(url: string): Part | undefined {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return match ? { inlineData: { mimeType: match[1], data: match[2] } } : undefined;
}

function urlPart(url: string, fallbackMime: string): Part {
  return dataUrlPart(url) ?? { fileData: { mimeType: mimeTypeOfUrl(url) ?? fallbackMime, fileUri: url } };
}

export function imageParts(block: ImageBlock): Part[] {
  const source = block.source;
  switch (source.type) {
    case 'base64':
      return [{ inlineData: { mimeType: source.media_type, data: source.data } }];
    case 'url':
      return [urlPart(source.url, 'image/*')];
    case 'file':
      return [];
  }
}

export function documentParts(block: DocumentBlock, keepText: (text: string) => boolean): Part[] {
  const source = block.source;
  switch (source.type) {
    case 'base64':
      return [{ inlineData: { mimeType: source.media_type, data: source.data } }];
    case 'text':
      return keepText(source.data) ? [{ text: source.data }] : [];
    case 'url':
      return [urlPart(source.url, 'application/pdf')];
    case 'content': {
      if (typeof source.content === 'string')
        return keepText(source.content) ? [{ text: source.content }] : [];
      return source.content.flatMap((item) =>
        item.type === 'text' ? (keepText(item.text) ? [{ text: item.text }] : []) : imageParts(item),
      );
    }
    case 'file':
      return [];
  }
}

/** A search result the client supplies (RAG), as the text the model reads. */
export function searchResultText(block: SearchResultBlock): string {
  const body = block.content.map((item) => item.text).join('\n');
  return `${block.title} (${block.source})\n${body}`;
}
