/**
 * OpenAI clients may give an image as an `http(s)` URL; v1internal takes images inline only, so
 * the proxy fetches them — bounded in size and time, over the same outbound path (and HTTP proxy)
 * as every upstream call — or, when fetching is off, refuses the request in words.
 */
import type { SettingsService } from '../../config/settings-service.ts';
import { request, type Dispatcher } from '../../google/undici-parts.ts';
import { invalidRequest, type ProtocolError } from '../../proxy/adapter.ts';

export interface FetchedImage {
  mimeType: string;
  data: string;
}

/** Fetches one image URL, or says in words why it could not. */
export type ImageFetcher = (url: string) => Promise<FetchedImage | ProtocolError>;

const TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;

function mimeFromBytes(bytes: Buffer): string | undefined {
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 6 && bytes.toString('ascii', 0, 4) === 'GIF8') return 'image/gif';
  if (
    bytes.length >= 12 &&
    bytes.toString('ascii', 0, 4) === 'RIFF' &&
    bytes.toString('ascii', 8, 12) === 'WEBP'
  )
    return 'image/webp';
  return undefined;
}

export function createImageFetcher(settings: SettingsService, dispatcher: () => Dispatcher): ImageFetcher {
  return async (url) => {
    const { fetchImageUrls, imageUrlMaxMb } = settings.current.proxy;
    if (!fetchImageUrls)
      return invalidRequest(
        `Image URLs are not fetched (setting proxy.fetchImageUrls is off): send the image as a data URL (${url.slice(0, 100)})`,
      );
    const maxBytes = Math.round(imageUrlMaxMb * 1024 * 1024);
    let target = url;
    try {
      for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        if (!/^https?:\/\//i.test(target))
          return invalidRequest(`Only http(s) image URLs can be fetched: ${target}`);
        const response = await request(target, {
          method: 'GET',
          dispatcher: dispatcher(),
          headersTimeout: TIMEOUT_MS,
          bodyTimeout: TIMEOUT_MS,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        const location = response.headers.location;
        if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
          await response.body.dump();
          target = new URL(location, target).toString();
          continue;
        }
        if (response.statusCode !== 200) {
          await response.body.dump();
          return invalidRequest(`The image URL answered ${response.statusCode}: ${target}`);
        }
        const declared = Number(response.headers['content-length']);
        if (declared > maxBytes) {
          await response.body.dump();
          return invalidRequest(
            `The image at ${target} is larger than ${imageUrlMaxMb} MB (proxy.imageUrlMaxMb)`,
          );
        }
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of response.body) {
          size += (chunk as Buffer).length;
          if (size > maxBytes) {
            response.body.destroy();
            return invalidRequest(
              `The image at ${target} is larger than ${imageUrlMaxMb} MB (proxy.imageUrlMaxMb)`,
            );
          }
          chunks.push(chunk as Buffer);
        }
        const bytes = Buffer.concat(chunks);
        const header = String(response.headers['content-type'] ?? '')
          .split(';', 1)[0]!
          .trim();
        const mimeType = header.startsWith('image/') ? header : mimeFromBytes(bytes);
        if (!mimeType)
          return invalidRequest(`The URL does not serve an image (${header || 'unknown type'}): ${target}`);
        return { mimeType, data: bytes.toString('base64') };
      }
      return invalidRequest(`Too many redirects for the image URL ${url}`);
    } catch (error) {
      return invalidRequest(`The image URL could not be fetched (${(error as Error).message}): ${target}`);
    }
  };
}

type Json = Record<string, unknown>;

/**
 * Replaces the placeholder parts `{fileData:{fileUri:url}}` of the given URLs with the fetched
 * images, fetching each distinct URL once and all of them at once.
 */
export async function inlineRemoteImages(
  upstream: Json,
  urls: readonly string[],
  fetchImage: ImageFetcher,
): Promise<Json | ProtocolError> {
  const distinct = [...new Set(urls)];
  const fetched = await Promise.all(distinct.map((url) => fetchImage(url)));
  const byUrl = new Map<string, FetchedImage>();
  for (const [index, image] of fetched.entries()) {
    if ('status' in image) return image;
    byUrl.set(distinct[index]!, image);
  }
  const contents = (upstream.contents as Array<{ role: string; parts: Json[] }>).map((content) => ({
    ...content,
    parts: content.parts.map((part) => {
      const uri = (part.fileData as { fileUri?: string } | undefined)?.fileUri;
      const image = uri === undefined ? undefined : byUrl.get(uri);
      return image ? { inlineData: { mimeType: image.mimeType, data: image.data } } : part;
    }),
  }));
  return { ...upstream, contents };
}
