// Public API of the storage module, the only part of Continuum that talks to IPFS. Other modules
// import from here, never from the files behind it.
export {
  DEFAULT_MAX_GET_BYTES,
  type ContentGetOptions,
  type ContentOperationOptions,
  type ContentReadOptions,
  type ContentSource,
  type ContentStat,
  type ContentStore,
} from "./ContentStore.ts";
export { StorageError, type StorageErrorCode } from "./errors.ts";
export { HeliaContentStore, type HeliaContentStoreOptions } from "./HeliaContentStore.ts";
export { keepPeersConnected } from "./keepPeersConnected.ts";
export { DEFAULT_LISTEN_ADDRESSES } from "./heliaNode.ts";
export { KuboContentStore, type KuboContentStoreOptions } from "./KuboContentStore.ts";
export { openContentStore, type OpenContentStoreOptions } from "./openContentStore.ts";
export { createGatewayRouter, DEFAULT_LOOKUP_TIMEOUT_MS, type GatewayRouterOptions } from "./gatewayRouter.ts";
export { createGatewayServer, type GatewayServer, type GatewayServerOptions } from "./gatewayServer.ts";
export { computeCid, verifyContent } from "./verifyContent.ts";
export { GatewayContentReader, type GatewayContentReaderOptions } from "./GatewayContentReader.ts";
export { UNIXFS_PROFILE } from "./unixfsImport.ts";
