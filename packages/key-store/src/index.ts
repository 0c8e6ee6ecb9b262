export { createSigningKeys, type SigningKeys, type SigningKeysSettings } from './signing-keys.js';
