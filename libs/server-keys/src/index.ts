export { loadOrCreateServerKeys, SERVER_KEY_FILE, SERVER_KEY_USER_ID, type ServerKeyOptions, type ServerKeys } from './server-keys';
