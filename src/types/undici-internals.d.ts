// undici's files imported directly by src/google/undici-parts.ts; typed there from undici's own types.
declare module 'undici/lib/dispatcher/agent.js' {
  const Agent: unknown;
  export default Agent;
}
declare module 'undici/lib/dispatcher/proxy-agent.js' {
  const ProxyAgent: unknown;
  export default ProxyAgent;
}
declare module 'undici/lib/api/api-request.js' {
  const request: unknown;
  export default request;
}
