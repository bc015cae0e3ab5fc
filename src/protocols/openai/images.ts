/**
 * `POST /v1/images/generations` (product.md §4) through the image model: the prompt as one user
 * turn, `size` as `imageConfig`, `n` as that many upstream calls, and the pictures back as
 * `b64_json` — or, with `response_format: "url"`, as data URLs (there is no file host to link to;
 * a documented extension that every client which renders an `<img>` accepts).
 */
import { z } from 'zod';
import type { GenerateResponse, UpstreamChunk } from '../../google/generate-client.ts';
import { invalidRequest, type GenerateAdapter, type Responder } from '../../proxy/adapter.ts';
import { openaiError } from './errors.ts';

/** Gemini's image aspect ratios (wire.md §2.6 `imageConfig`). */
const ASPECT_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;
const MAX_IMAGES = 4;
const DEFAULT_MODEL = 'gpt-image-1';

const imagesBody = z.object({
  prompt: z.string().min(1, 'prompt must not be empty').max(32_000),
  model: z.string().min(1).optional(),
  n: z.number().int().min(1).max(MAX_IMAGES, `n can be at most ${MAX_IMAGES}`).nullish(),
  size: z
    .string()
    .regex(/^(auto|\d{2,5}x\d{2,5})$/, 'size must be "auto" or WIDTHxHEIGHT, e.g. 1024x1024')
    .nullish(),
  quality: z.enum(['auto', 'standard', 'hd', 'low', 'medium', 'high']).nullish(),
  response_format: z.enum(['b64_json', 'url']).nullish(),
  aspect_ratio: z.enum(ASPECT_RATIOS).nullish(),
  style: z.string().nullish(),
  user: z.string().nullish(),
});

export type ImagesRequest = z.output<typeof imagesBody>;

/** The Gemini aspect ratio nearest to WIDTHxHEIGHT (by the logarithm of the ratio, so 2:1 and 1:2 are equally far from 1:1). */
export function aspectRatioOf(size: string): (typeof ASPECT_RATIOS)[number] {
  const [width, height] = size.split('x').map(Number) as [number, number];
  const wanted = Math.log(width / height);
  let best: (typeof ASPECT_RATIOS)[number] = '1:1';
  let bestDistance = Infinity;
  for (const ratio of ASPECT_RATIOS) {
    const [w, h] = ratio.split(':').map(Number) as [number, number];
    const distance = Math.abs(Math.log(w / h) - wanted);
    if (distance < bestDistance) {
      best = ratio;
      bestDistance = distance;
    }
  }
  return best;
}

/** `1K`, `2K` or `4K` from the longer side, and at least `2K` for `hd`/`high` quality. */
export function imageSizeOf(
  size: string | null | undefined,
  quality: string | null | undefined,
): string | undefined {
  const longest = size && size !== 'auto' ? Math.max(...size.split('x').map(Number)) : 0;
  const byQuality = quality === 'hd' || quality === 'high' ? 2 : 1;
  const bySize = longest > 2048 ? 4 : longest > 1024 ? 2 : longest > 0 ? 1 : 0;
  const k = Math.max(byQuality, bySize);
  return bySize === 0 && byQuality === 1 ? undefined : `${k}K`;
}

function imagesOf(chunks: readonly UpstreamChunk[]): Array<{ mimeType: string; data: string }> {
  const images: Array<{ mimeType: string; data: string }> = [];
  for (const chunk of chunks) {
    const response: GenerateResponse | undefined = chunk.response;
    for (const part of response?.candidates?.[0]?.content?.parts ?? []) {
      const inline = part.inlineData as { mimeType?: string; data?: string } | undefined;
      if (part.thought !== true && inline?.data)
        images.push({ mimeType: inline.mimeType ?? 'image/png', data: inline.data });
    }
  }
  return images;
}

function responder(request: ImagesRequest): Responder {
  const asUrl = request.response_format === 'url';
  return {
    contentType: 'application/json',
    event: () => '',
    close: () => '',
    fail: () => '',
    assemble(chunks) {
      const images = imagesOf(chunks);
      return {
        created: Math.floor(Date.now() / 1000),
        data: images.map((image) =>
          asUrl ? { url: `data:${image.mimeType};base64,${image.data}` } : { b64_json: image.data },
        ),
      };
    },
  };
}

export const imagesAdapter: GenerateAdapter<ImagesRequest> = {
  protocol: 'openai',
  route: '/v1/images/generations',
  parse(input) {
    const parsed = imagesBody.safeParse(input.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const param = issue.path.join('.') || undefined;
      return invalidRequest(param ? `${param}: ${issue.message}` : issue.message, param);
    }
    const request = parsed.data;
    return {
      model: request.model ?? DEFAULT_MODEL,
      // Pictures arrive whole: there is nothing to stream.
      stream: false,
      body: request,
      session: request.user ? { explicit: request.user } : {},
      features: { systemTexts: [], userTexts: [request.prompt], toolCount: 0 },
    };
  },
  toUpstream(request, target) {
    // A text model answers in words: only an image model can return pictures.
    if (!/image/.test(target.model))
      return invalidRequest(
        `Model ${request.model ?? DEFAULT_MODEL} maps to ${target.model}, which does not generate images; use an image model (e.g. gemini-3.1-flash-image)`,
        'model',
      );
    const imageConfig: Record<string, unknown> = {};
    const aspectRatio =
      request.aspect_ratio ??
      (request.size && request.size !== 'auto' ? aspectRatioOf(request.size) : undefined);
    if (aspectRatio) imageConfig.aspectRatio = aspectRatio;
    const imageSize = imageSizeOf(request.size, request.quality);
    if (imageSize) imageConfig.imageSize = imageSize;
    const prompt = request.style ? `${request.prompt}\n\nStyle: ${request.style}` : request.prompt;
    return {
      request: {
        contents: [{ role: 'user', parts: [{ text: prompt }] }],
        generationConfig: {
          responseModalities: ['TEXT', 'IMAGE'],
          ...(Object.keys(imageConfig).length > 0 ? { imageConfig } : {}),
        },
      },
      requestType: 'image_gen',
      copies: request.n ?? 1,
    };
  },
  responder: (parsed) => responder(parsed.body),
  error: openaiError,
};
