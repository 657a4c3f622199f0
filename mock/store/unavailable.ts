// The store's error, where the store's modules find it: it lives with the mock's errors
// (mock/errors/store-unavailable.ts), so the renderer can know it without importing the store.
export { STORE_RETRY_AFTER_SECONDS, StoreUnavailableError } from '../errors/store-unavailable';
