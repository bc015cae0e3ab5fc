/** The models module: name resolution, background routing and the client model list, shared by every protocol. */
export { resolveModel, describeDecision } from './resolve.ts';
export type { ModelDecision, ModelRule, ResolveContext } from './resolve.ts';
export { isBackgroundRequest, routeModel, TINY_MAX_TOKENS } from './background.ts';
export type { BackgroundRouting, BackgroundVerdict, ClientProtocol, RequestFeatures } from './background.ts';
export { listClientModels } from './catalog.ts';
export type { AccountModel, ClientModel, ClientModelsInput } from './catalog.ts';
export { FALLBACK_MODELS, FALLBACK_MODEL_IDS } from './fallback.ts';
export type { FallbackModel } from './fallback.ts';
export { normalizeModelName, isPublicModelId } from './names.ts';
export { globToRegExp, isGlob } from './glob.ts';
